// Prism's HTTP server run inside this process, as its mock of the spec or as its
// validating proxy in front of an upstream, both with `--errors` (a response that breaks
// the spec becomes a 500 naming the violation). In this process rather than as Prism's
// CLI in a child: a server cannot outlive the process that holds it, however that process
// ends, and the spec is read once however many servers share it (a Prism child reads
// and compiles it all again; a further server here reuses what the first one read).
import http from "node:http";
import { createRequire, Module } from "node:module";
import { headerSafe } from "./headers.js";
import { prismSpec } from "./spec.js";

const require = createRequire(import.meta.url);

/** One of Prism's log entries, as `onLog` receives it. */
export interface PrismLogEntry {
  msg?: string;
  name?: string;
  level: number;
  input?: { method: string; url: { path: string } };
}

export interface PrismOptions {
  /** Proxy to this URL and validate both ways; without it, mock the spec. */
  upstream?: string | undefined;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** A spec file for Prism to read instead of the bundled spec. */
  spec?: string;
  /** `false`: answers go out unchecked against the spec (requests are always checked). Default `true`. */
  validateResponses?: boolean;
  onLog?: (entry: PrismLogEntry) => void;
}

export interface RunningPrism {
  url: string;
  stop(): Promise<void>;
}

/**
 * Spec path → its operations as Prism reads them, read once per process. On globalThis
 * because this module can be loaded twice in one process (vitest loads each project's
 * global setup through a module runner of its own), and Prism caches its compiled Ajv
 * validators on these operations' schema objects: one reading shares them all.
 */
const cacheKey = Symbol.for("komoju-ts.prism.operationsBySpec");
const shared = globalThis as { [cacheKey]?: Map<string, Promise<unknown>> };
shared[cacheKey] ??= new Map();
const operationsBySpec = shared[cacheKey];

function operationsOf(spec: string | undefined): Promise<unknown> {
  const key = spec ?? "(bundled)";
  let found = operationsBySpec.get(key);
  if (!found) {
    const { getHttpOperationsFromSpec } = require("@stoplight/prism-http");
    found = getHttpOperationsFromSpec(spec ?? prismSpec()) as Promise<unknown>;
    operationsBySpec.set(key, found);
  }
  return found;
}

/**
 * Prism's mocker loads @faker-js/faker with every locale, which is slow, for dynamic
 * examples, which these servers never make (`dynamic: false`): it gets the English
 * faker instead, loaded only if something ever asks for it.
 */
function withEnglishFaker(): void {
  const fromPrism = createRequire(require.resolve("@stoplight/prism-http"));
  const path = fromPrism.resolve("@faker-js/faker");
  if (require.cache[path]) return;
  const english = new Module(path);
  english.filename = path;
  english.loaded = true;
  let faker: unknown;
  english.exports = {
    get default() {
      faker ??= fromPrism("@faker-js/faker/locale/en");
      return faker;
    },
    get faker() {
      return this.default;
    },
  };
  require.cache[path] = english;
}

/**
 * Prism writes its findings into the `sl-violations` header as they are; one quoting a
 * property named `日本` made Node throw inside Prism's promise chain, and the process
 * exit. Its header values are written header-safe instead.
 */
function withSafeHeaders(res: http.ServerResponse): void {
  const setHeader = res.setHeader;
  res.setHeader = (name, value) =>
    setHeader.call(res, name, typeof value === "string" ? headerSafe(value) : value) as http.ServerResponse;
}

/** Prism keeps its Node server to itself; it is caught as Prism makes it, so that stop can end held connections. */
function catchingServer<T>(make: () => T): { made: T; raw: http.Server } {
  const makeServer = http.createServer;
  let raw: http.Server | undefined;
  http.createServer = ((...args: Parameters<typeof http.createServer>) => {
    raw = makeServer.apply(http, args);
    return raw;
  }) as typeof http.createServer;
  try {
    const made = make();
    if (!raw) throw new Error("Prism made no HTTP server");
    raw.prependListener("request", (_req, res: http.ServerResponse) => withSafeHeaders(res));
    return { made, raw };
  } finally {
    http.createServer = makeServer;
  }
}

/**
 * Starts a Prism server on `host:port` (port 0: the kernel picks one) and resolves with
 * its URL and a `stop` (as the local KOMOJU has). `upstream`: proxy to it and validate both ways
 * (answers unless `validateResponses` is false); else mock.
 * `onLog`: receives Prism's log entries as objects (`msg`, `input` on "Request received");
 * without it Prism logs nothing. A busy port rejects with an Error whose code is EADDRINUSE.
 */
export async function startPrism({
  upstream,
  port = 0,
  host = "127.0.0.1",
  spec,
  onLog,
  validateResponses = true,
}: PrismOptions = {}): Promise<RunningPrism> {
  // Loaded on first use, so a caller that fails early (a busy port) never pays for Prism.
  withEnglishFaker();
  const { createServer } = require("@stoplight/prism-http-server");
  const { createLogger } = require("@stoplight/prism-core");
  const operations = await operationsOf(spec);
  const destination = onLog && { write: (line: string) => onLog(JSON.parse(line)) };
  const logger = createLogger("PRISM", { level: onLog ? "info" : "silent" }, destination);
  // What Prism's CLI sets for `prism mock|proxy --errors` (static examples, CORS on).
  const config = {
    validateRequest: true,
    validateResponse: validateResponses,
    checkSecurity: true,
    errors: true,
    upstreamProxy: undefined,
    mock: { dynamic: false, ignoreExamples: false },
    ...(upstream ? { isProxy: true, upstream: new URL(upstream) } : { isProxy: false }),
  };
  // One request never finished would otherwise keep the close (and Ctrl-C, and a test
  // teardown) waiting for minutes.
  const { made: server, raw } = catchingServer(() =>
    createServer(operations, { cors: true, config, components: { logger: logger.child({ name: "HTTP SERVER" }) } }),
  );
  // Prism's listen rejects with the error's message alone.
  const url: string = await server.listen(port, host).catch((message: unknown) => {
    const error = new Error(`Prism could not listen on ${host}:${port}: ${message}`) as NodeJS.ErrnoException;
    if (/EADDRINUSE/.test(String(message))) error.code = "EADDRINUSE";
    throw error;
  });
  return {
    url,
    stop() {
      const closed: Promise<void> = server.close();
      raw.closeAllConnections();
      return closed;
    },
  };
}
