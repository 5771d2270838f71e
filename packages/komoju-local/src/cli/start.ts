// `komoju-local start` (the default): the stateful local KOMOJU, and the API docs beside it.
// Prints the base URL, a test secret key, the webhook secret and a komoju-ts snippet.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DOCS_FILE } from "../files.js";
import { startLocalKomoju } from "../index.js";
import { close } from "../listen.js";
import {
  DOCS_PORT,
  ensureFree,
  type Io,
  MOCK_PORT,
  painter,
  portFrom,
  type Running,
  requestLogger,
  startFailure,
  UsageError,
} from "./shared.js";

export const START_HELP = `Usage: komoju-local [start] [--port <port>] [--docs-port <port>] [--no-docs] [--webhook-url <url>]...

The stateful local KOMOJU: sessions, payments, customers, events, the hosted checkout page
and signed webhooks, in memory, behind Prism's validating proxy; and the API docs.

Options:
  --port <port>         the local KOMOJU's port (default 4010, or KOMOJU_MOCK_PORT; 0 picks one)
  --docs-port <port>    the docs' port (default 4011, or KOMOJU_DOCS_PORT; 0 picks one)
  --no-docs             serve no docs
  --webhook-url <url>   POST each event there, signed (repeatable; or KOMOJU_WEBHOOK_URL, comma-separated)
  -h, --help            this help

Environment:
  KOMOJU_WEBHOOK_SECRET       the secret webhooks are signed with (else one is made up and printed)
  KOMOJU_LOCAL_MAX_SESSIONS   how many sessions it holds before forgetting the oldest (default 50000)
  NO_COLOR                    no colors`;

export interface StartFlags {
  port?: string | undefined;
  "docs-port"?: string | undefined;
  "no-docs"?: boolean | undefined;
  "webhook-url"?: string[] | undefined;
}

const HOST = "127.0.0.1";

/** The docs page on its own port; fails with one line if the port is busy. */
async function startDocs(port: number, docsFile: URL | string): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(docsFile)) throw new UsageError(`The docs page is missing (${docsFile}): run with --no-docs.`);
  const html = readFileSync(docsFile);
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html")
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the docs are one page, at /.\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(startFailure("The docs", port, HOST, DOCS_PORT)(error)),
    );
    server.listen(port, HOST, () => resolve());
  });
  return { url: `http://${HOST}:${(server.address() as AddressInfo).port}/`, stop: () => close(server) };
}

function webhookUrlsFrom(flags: StartFlags, io: Io): string[] {
  const urls = (flags["webhook-url"] ?? [io.env.KOMOJU_WEBHOOK_URL ?? ""]).flatMap((value) => value.split(","));
  return urls.map((url) => url.trim()).filter(Boolean);
}

function maxSessionsFrom(io: Io): number | undefined {
  const value = io.env.KOMOJU_LOCAL_MAX_SESSIONS;
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new UsageError(`KOMOJU_LOCAL_MAX_SESSIONS must be a whole number ≥ 1, not "${value}".`);
  return Number(value);
}

export interface StartOptions {
  /** The docs page to serve (default: the one shipped beside the package). */
  docsFile?: URL | string | undefined;
}

export async function start(flags: StartFlags, io: Io, options: StartOptions = {}): Promise<Running> {
  const port = portFrom(flags.port, "KOMOJU_MOCK_PORT", io, 4010);
  const docsPort = portFrom(flags["docs-port"], "KOMOJU_DOCS_PORT", io, 4011);
  const webhookUrls = webhookUrlsFrom(flags, io);
  const maxSessions = maxSessionsFrom(io);
  const chosenSecret = io.env.KOMOJU_WEBHOOK_SECRET || undefined;
  const webhookSecret = chosenSecret ?? `whsec_local_${randomBytes(12).toString("hex")}`;
  // The ports first: a busy one then fails before Prism is loaded at all.
  await ensureFree(port, HOST, MOCK_PORT);
  const docs = flags["no-docs"] ? undefined : await startDocs(docsPort, options.docsFile ?? DOCS_FILE);
  const local = await startLocalKomoju({
    port,
    host: HOST,
    webhookUrls,
    webhookSecret,
    maxSessions,
    log: requestLogger(io),
  }).catch(async (error: NodeJS.ErrnoException) => {
    await docs?.stop();
    throw startFailure("The local KOMOJU", port, HOST, MOCK_PORT)(error);
  });
  const paint = painter(io);
  const url = local.baseUrl;
  const secretNote = chosenSecret
    ? "KOMOJU_WEBHOOK_SECRET"
    : `${webhookSecret}  (made up: set KOMOJU_WEBHOOK_SECRET to keep one)`;
  const hooks =
    webhookUrls.length > 0
      ? `${webhookUrls.join(", ")}  (signed with ${chosenSecret ? "KOMOJU_WEBHOOK_SECRET" : "the secret below"})`
      : "none (set KOMOJU_WEBHOOK_URL or --webhook-url)";
  io.out(`
  ${paint(1, "Local KOMOJU")}    ${url}
                  stateful sessions behind Prism's validating proxy; in memory, a restart forgets
  ${paint(1, "Secret key")}      ${local.secretKey}   (any sk_test_ key works)
  ${paint(1, "Webhooks")}        ${hooks}
  ${paint(1, "Webhook secret")}  ${secretNote}
${docs ? `  ${paint(1, "API docs")}        ${docs.url}\n` : ""}
  Point komoju-ts at it:

    import { createKomojuClient } from "komoju-ts";
    const komoju = createKomojuClient({ secretKey: "${local.secretKey}", baseUrl: "${url}" });
    const session = await komoju.sessions.create({ amount: 8888, currency: "JPY", return_url: "http://127.0.0.1:3000/return" });
    console.log(session.session_url); // open it in a browser and pay (card 4111 1111 1111 1111)
    // webhooks: verifyWebhook({ rawBody, signature, secret }) with the webhook secret above

  Or: curl -u ${local.secretKey}: ${url}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv   (the spec's examples are preloaded)
  Local controls: POST ${url}/_local/payments/{id}/capture|expire|fail, GET ${url}/_local/events

  Ctrl-C stops everything.
`);
  return {
    async stop() {
      await Promise.all([local.stop(), docs?.stop()]);
      return 0;
    },
  };
}
