// The public port of the local KOMOJU and of the stateless mock. API calls go through
// Prism (the validating proxy to the simulator, or the mock); Prism's refusals are
// rewritten into KOMOJU's error envelope naming the parameter and the reason
// (refusals.ts), with Prism's own findings kept in the `sl-violations` header. The local
// KOMOJU's pages and /_local/ are served directly. One log line per request.
//
// Security: it answers only this machine. A Host that is not a loopback name nor the
// server's own is refused (DNS rebinding), and so is a browser's cross-origin request to
// the API or /_local/ (Origin of another site, Sec-Fetch-Site: cross-site); the checkout
// pages post to themselves. Form bodies are parsed without prototypes, header values are
// written header-safe, and a failure of any step is a 500 in KOMOJU's envelope, never the
// end of the process.
import { Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { handlerFor } from "./api.js";
import { headerSafe } from "./headers.js";
import { handlePage } from "./pages.js";
import { describe, komojuError, readBody } from "./refusals.js";
import type { Handlers, Store } from "./simulation/store.js";
import { matchOperation } from "./spec.js";
import type { Violation } from "./violations.js";

const MAX_BODY = 1 << 20;

/** One request passing through the front: what the log line says about it beside the status. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  note: string;
}

export interface ProxyFrontOptions {
  /** Prism's URL; requests made before it is up wait for it. */
  target: Promise<string>;
  log: (line: string) => void;
  /** Who serves the spec and who is blamed for an answer Prism refuses, for the messages. */
  server: string;
  answeredBy: string;
  /** The front's own URL once it listens: the one Host besides loopback names it answers to. */
  ownUrl: () => string;
  /** Answers what is not for Prism; resolves true when it did. */
  before?: (exchange: Exchange) => Promise<boolean>;
  /** Told of each exchange in which Prism found the request or the answer breaking the spec, with Prism's status. */
  onViolations?: ((exchange: Exchange, violations: Violation[], status: number) => void) | undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | number> = {}) {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      ...headers,
    })
    .end(text);
}

const failure = (code: string, message: string) => ({ error: { code, message, param: null } });

/** The request's body, or undefined once the front has answered (too large) or the client went away. */
async function readRequest(exchange: Exchange): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of exchange.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) {
        const body = failure("bad_request", "The request body is larger than 1 MiB.");
        sendJson(exchange.res, 413, body, { connection: "close" });
        return undefined;
      }
      chunks.push(chunk);
    }
  } catch (error) {
    // The client went away mid-body: nothing to answer, and nothing to bring down.
    const reason = error as NodeJS.ErrnoException;
    exchange.note = `request body cut short (${reason.code ?? reason.message})`;
    exchange.res.destroy();
    return undefined;
  }
  return Buffer.concat(chunks);
}

function parseViolations(text: string | string[] | undefined): Violation[] {
  try {
    const parsed: unknown = JSON.parse(String(text));
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [];
  }
}

/**
 * What Prism refused, if it did: the problem+json of the validating proxy, or a 4xx of the
 * mock whose `sl-violations` name the request (`["request", "body", …]`, read here as the
 * proxy's `["body", …]`).
 */
function refusalOf(answer: IncomingMessage): { violations: Violation[] | undefined; header: string } | undefined {
  const status = answer.statusCode ?? 500;
  const header = answer.headers["sl-violations"];
  if ((answer.headers["content-type"] ?? "").includes("application/problem+json"))
    return { violations: undefined, header: "" };
  const ofRequest = parseViolations(header).filter((v) => v.location?.[0] === "request");
  if (status < 400 || status >= 500 || ofRequest.length === 0) return undefined;
  return { violations: ofRequest.map((v) => ({ ...v, location: v.location?.slice(1) })), header: String(header) };
}

type Refusal = NonNullable<ReturnType<typeof refusalOf>>;

/** Answers Prism's refusal (its body read whole) in KOMOJU's envelope, Prism's findings in `sl-violations`. */
function answerRefusal(
  exchange: Exchange,
  status: number,
  refusal: Refusal,
  text: string,
  raw: Buffer,
  options: ProxyFrontOptions,
) {
  let problem: { validation?: unknown; detail?: unknown; title?: unknown } = {};
  if (!refusal.violations) {
    try {
      problem = JSON.parse(text);
    } catch {}
  }
  const listed = Array.isArray(problem.validation) ? (problem.validation as Violation[]) : undefined;
  const { req, method, path } = exchange;
  const body = readBody(raw, req.headers["content-type"], method, path);
  const { server, answeredBy } = options;
  const context = { method, path, body, server, answeredBy };
  const translated = komojuError(status, problem, refusal.violations ?? listed ?? [], context);
  exchange.note = translated.body.error.message;
  const header = refusal.violations ? refusal.header : listed ? JSON.stringify(listed) : "";
  const found = refusal.violations ?? listed ?? [];
  if (found.length > 0) options.onViolations?.(exchange, found, status);
  sendJson(exchange.res, translated.status, translated.body, header ? { "sl-violations": headerSafe(header) } : {});
}

function translate(
  exchange: Exchange,
  answer: IncomingMessage,
  refusal: Refusal,
  raw: Buffer,
  options: ProxyFrontOptions,
) {
  const answered: Buffer[] = [];
  answer.on("data", (chunk: Buffer) => answered.push(chunk));
  answer.on("end", () =>
    guarded(exchange, () => {
      const text = Buffer.concat(answered).toString("utf8");
      answerRefusal(exchange, answer.statusCode ?? 500, refusal, text, raw, options);
    }),
  );
}

/** Sends the request on to Prism and its answer back, refusals in KOMOJU's envelope. */
function forward(exchange: Exchange, target: URL, raw: Buffer, agent: Agent, options: ProxyFrontOptions) {
  const { req, res } = exchange;
  const headers = { ...req.headers, host: target.host };
  const upstream = request(target, { method: exchange.method, headers, agent }, (answer) =>
    guarded(exchange, () => {
      const refusal = refusalOf(answer);
      if (refusal) return translate(exchange, answer, refusal, raw, options);
      const violations = answer.headers["sl-violations"];
      if (violations) {
        exchange.note = describe(parseViolations(violations));
        options.onViolations?.(exchange, parseViolations(violations), answer.statusCode ?? 502);
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    }),
  );
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    exchange.note = `Prism unreachable: ${error.code ?? error.message}`;
    const message = `The ${options.server}'s validator (Prism) is not answering.`;
    if (!res.headersSent) sendJson(res, 502, failure("bad_gateway", message));
  });
  upstream.end(raw);
}

/** A failure of the front itself: a 500 in KOMOJU's envelope, and the process goes on serving. */
function internalError(exchange: Exchange, error: unknown): void {
  exchange.note = `the front failed: ${(error as Error)?.message ?? String(error)}`;
  const { res } = exchange;
  if (res.headersSent) return void res.destroy();
  sendJson(res, 500, failure("internal_server_error", "The local server failed on this request; see its log."));
}

/** Runs a step that answers from inside a stream listener, where a throw would end the process. */
function guarded(exchange: Exchange, step: () => void): void {
  try {
    step();
  } catch (error) {
    internalError(exchange, error);
  }
}

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Why a request is refused as coming from elsewhere, if it is: a Host that is not a
 * loopback name nor the front's own (DNS rebinding: a site whose name resolves to
 * 127.0.0.1), or a browser's cross-origin request to the API or /_local/ (a page on
 * another site driving payments). The checkout pages post to themselves.
 */
function foreign({ req, path }: Exchange, ownUrl: string): string | undefined {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!LOOPBACK_HOST.test(host) && host !== new URL(ownUrl).host)
    return `The Host ${JSON.stringify(host)} is not this machine's: the local server answers only to localhost, 127.x.x.x, [::1] or ${new URL(ownUrl).host}.`;
  if (!path.startsWith("/api/") && !/^\/_local(\/|$)/.test(path)) return undefined;
  const origin = req.headers.origin;
  let sameOrigin = origin === undefined;
  try {
    sameOrigin ||= new URL(String(origin)).host === host;
  } catch {}
  if (!sameOrigin || req.headers["sec-fetch-site"] === "cross-site")
    return "Cross-origin browser requests to the API and /_local/ are refused: call it from your server, not a web page.";
  return undefined;
}

async function handle(exchange: Exchange, agent: Agent, options: ProxyFrontOptions): Promise<void> {
  const refused = foreign(exchange, options.ownUrl());
  if (refused) {
    exchange.note = refused;
    return sendJson(exchange.res, 403, failure("forbidden", refused));
  }
  if (options.before && (await options.before(exchange))) return;
  let target: URL;
  try {
    target = new URL(exchange.req.url ?? "/", await options.target);
  } catch {
    return sendJson(exchange.res, 400, failure("bad_request", "Unreadable request path."));
  }
  const raw = await readRequest(exchange);
  if (!raw) return;
  if (/x-www-form-urlencoded/i.test(String(exchange.req.headers["content-type"])) && !decodableForm(raw)) {
    exchange.note = "The form body has a malformed percent-escape.";
    const message = "The form body has a malformed percent-escape: write each % as %25, and non-ASCII as UTF-8 %XX.";
    return sendJson(exchange.res, 400, failure("bad_request", message));
  }
  forward(exchange, target, raw, agent, options);
}

/**
 * Whether every percent-escape of a form body decodes. Prism's form reader throws on one
 * that does not, outside any promise it answers from: the request hung, unanswered, and
 * the process met an unhandled rejection.
 */
function decodableForm(raw: Buffer): boolean {
  try {
    for (const part of raw.toString("utf8").split("&")) decodeURIComponent(part.replace(/\+/g, " "));
    return true;
  } catch {
    return false;
  }
}

/** A front before Prism: the local KOMOJU's (with `before` for its pages) or the stateless mock's. */
export function createProxyFront(options: ProxyFrontOptions): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer((req, res) => {
    const started = performance.now();
    const exchange: Exchange = {
      req,
      res,
      method: req.method ?? "GET",
      path: (req.url ?? "/").split("?")[0]!,
      note: "",
    };
    res.once("finish", () => {
      const ms = Math.round(performance.now() - started);
      options.log(
        `${exchange.method} ${exchange.path} ${res.statusCode} ${ms} ms${exchange.note ? `  ${exchange.note}` : ""}`,
      );
    });
    handle(exchange, agent, options).catch((error: unknown) => internalError(exchange, error));
  });
  server.on("close", () => agent.destroy());
  return server;
}

/** The local KOMOJU's own answers: pages, /_local/, and the operations it does not simulate. */
async function localAnswer(exchange: Exchange, store: Store, handlers: Handlers): Promise<boolean> {
  const { res, method, path } = exchange;
  if (!path.startsWith("/api/")) {
    try {
      if (await handlePage(exchange.req, res, store)) return true;
    } catch (error) {
      exchange.note = (error as Error).message;
      res.writeHead(500, { "content-type": "text/plain" }).end(`Local KOMOJU failed: ${(error as Error).message}\n`);
      return true;
    }
    const where = "the API is under /api/v1/, checkout pages under /sessions/{id}, local controls under /_local/";
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`Local KOMOJU: ${where}.\n`);
    return true;
  }
  if (handlerFor(handlers, method, path)) return false;
  exchange.note = matchOperation(method, path)
    ? `The local KOMOJU does not simulate ${method} ${path} yet (npm run mock answers it with the spec's examples).`
    : `No such endpoint: ${method} ${path} is not in the spec the local KOMOJU serves.`;
  sendJson(res, 404, failure("not_found", exchange.note));
  return true;
}

export interface FrontOptions {
  prismUrl: Promise<string>;
  store: Store;
  handlers: Handlers;
  log: (line: string) => void;
}

export function createFront({ prismUrl, store, handlers, log }: FrontOptions): Server {
  return createProxyFront({
    target: prismUrl,
    log,
    ownUrl: store.publicUrl,
    server: "local KOMOJU",
    answeredBy: "a simulator bug",
    before: (exchange) => localAnswer(exchange, store, handlers),
  });
}
