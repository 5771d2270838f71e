// `npm start`: the local KOMOJU (stateful sessions behind Prism's validating proxy, on
// 127.0.0.1:4010) and the API docs (127.0.0.1:4011), rebuilding the docs first when the
// spec is newer. `--mock-only` (npm run mock): Prism's stateless mock alone, behind the
// same front (refusals in KOMOJU's error envelope). Run with tsx (`node --import tsx`),
// in one process: nothing it starts can outlive it.
// Ports: KOMOJU_MOCK_PORT, KOMOJU_DOCS_PORT (0 picks a free one). Webhooks:
// KOMOJU_WEBHOOK_URL (comma-separated) and KOMOJU_WEBHOOK_SECRET.
// Stops, with everything it started, on SIGINT, SIGTERM, SIGHUP or when its parent dies.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalKomoju, startMock } from "../packages/komoju-local/src/index.js";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const mockOnly = process.argv.includes("--mock-only");
const HOST = "127.0.0.1";
const ports = {
  KOMOJU_MOCK_PORT: process.env.KOMOJU_MOCK_PORT ?? "4010",
  KOMOJU_DOCS_PORT: process.env.KOMOJU_DOCS_PORT ?? "4011",
};
const webhookUrls = (process.env.KOMOJU_WEBHOOK_URL ?? "")
  .split(",")
  .map((url) => url.trim())
  .filter(Boolean);
const color = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== "dumb";
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

/** Ends the script with one line, never a stack trace or Prism's help text. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

for (const [name, value] of Object.entries(ports)) {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    fail(`${name} must be a port number (0 picks a free one), not "${value}".`);
}
type PortName = keyof typeof ports;
const busy = (name: PortName) =>
  `Port ${ports[name]} on ${HOST} is in use: set ${name} to another port (0 picks a free one).`;

function logRequest(line: string): void {
  const status = / (\d{3}) /.exec(line)?.[1] ?? "";
  console.log(status.startsWith("2") || status.startsWith("3") ? line : paint(status.startsWith("5") ? 31 : 33, line));
}

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    }),
  );
}

const stoppers: (() => Promise<void>)[] = [];
let stopping = false;
async function stop(code = 0) {
  // A second Ctrl-C means now; and a server that will not close never holds the exit up.
  if (stopping) process.exit(code);
  stopping = true;
  setTimeout(() => process.exit(code), 2_000).unref();
  await Promise.all(stoppers.map((stopper) => stopper()));
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(0));
// npm does not always pass a signal on, and a killed parent sends none: notice being orphaned.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop(0), 500).unref();

/** Fails with the one-line hint if the port is taken, before Prism takes seconds to load. */
async function ensureFree(name: PortName): Promise<void> {
  if (ports[name] === "0") return;
  const probe = createServer();
  await new Promise<void>((resolve) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "EADDRINUSE" ? busy(name) : `${name}: ${error.message}`),
    );
    probe.listen(Number(ports[name]), HOST, () => probe.close(() => resolve()));
  });
}

/** Prism's stateless mock behind the front, one log line per request. */
async function startStatelessMock(): Promise<string> {
  await ensureFree("KOMOJU_MOCK_PORT");
  const mock = await startMock({ port: Number(ports.KOMOJU_MOCK_PORT), host: HOST, log: logRequest }).catch(
    (error: NodeJS.ErrnoException) =>
      fail(error.code === "EADDRINUSE" ? busy("KOMOJU_MOCK_PORT") : `The mock could not start: ${error.message}`),
  );
  stoppers.push(() => mock.stop());
  return mock.url;
}

async function startDocs() {
  if (!existsSync("docs/index.html") || statSync("docs/index.html").mtimeMs < newestMtime("openapi")) {
    try {
      execFileSync(process.execPath, ["scripts/build-docs.mjs"], { stdio: ["ignore", "inherit", "pipe"] });
    } catch (error) {
      const failure = error as { stderr?: unknown; message: string };
      const reason = String(failure.stderr ?? failure.message)
        .trim()
        .split("\n")
        .at(-1);
      if (!existsSync("docs/index.html")) fail(`The docs could not be built (${reason}); run npm run docs to see why.`);
      console.error(`The docs could not be rebuilt (${reason}); serving the previous build.`);
    }
  }
  const html = readFileSync("docs/index.html");
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html")
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the docs are one page, at /.\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" ? fail(busy("KOMOJU_DOCS_PORT")) : reject(error),
    );
    server.listen(Number(ports.KOMOJU_DOCS_PORT), HOST, () => resolve());
  });
  stoppers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://${HOST}:${(server.address() as AddressInfo).port}/`;
}

async function startLocal(): Promise<string> {
  const local = await startLocalKomoju({
    port: Number(ports.KOMOJU_MOCK_PORT),
    host: HOST,
    webhookUrls,
    webhookSecret: process.env.KOMOJU_WEBHOOK_SECRET,
    maxSessions: process.env.KOMOJU_LOCAL_MAX_SESSIONS ? Number(process.env.KOMOJU_LOCAL_MAX_SESSIONS) : undefined,
    log: logRequest,
  }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === "EADDRINUSE" ? busy("KOMOJU_MOCK_PORT") : `The local KOMOJU could not start: ${error.message}`),
  );
  stoppers.push(() => local.stop());
  return local.url;
}

if (mockOnly) {
  const url = await startStatelessMock();
  console.log(`
  ${paint(1, "KOMOJU mock")}   ${url}
                stateless Prism: answers with the spec's examples, refuses what the spec refuses
                (in KOMOJU's error envelope, naming the parameter)

  Try: curl -u sk_test_123: ${url}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv
  Ask for an error with -H 'Prefer: code=404', another example with -H 'Prefer: example=completed'.
  For state (create, pay, webhooks), run npm start instead.

  Ctrl-C stops it.
`);
} else {
  // Docs first: a busy docs port then fails before Prism is loaded at all.
  const docs = await startDocs();
  const url = await startLocal();
  const hooks =
    webhookUrls.length > 0
      ? `${webhookUrls.join(", ")}  (signed with KOMOJU_WEBHOOK_SECRET)`
      : "none (set KOMOJU_WEBHOOK_URL and KOMOJU_WEBHOOK_SECRET)";
  console.log(`
  ${paint(1, "Local KOMOJU")}  ${url}
                stateful sessions behind Prism's validating proxy; in memory, a restart forgets
  ${paint(1, "API docs")}      ${docs}
  ${paint(1, "Webhooks")}      ${hooks}

  Point the client at it:

    import { createKomojuClient } from "komoju-ts";
    const komoju = createKomojuClient({ secretKey: "sk_test_123", baseUrl: "${url}" });
    const session = await komoju.sessions.create({ amount: 8888, currency: "JPY", return_url: "http://127.0.0.1:3000/return" });
    // open session.session_url in a browser and pay

  Or: curl -u sk_test_123: ${url}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv   (the spec's examples are preloaded)
  Local controls: POST ${url}/_local/payments/{id}/capture|expire|fail, GET ${url}/_local/events

  Ctrl-C stops everything.
`);
}
