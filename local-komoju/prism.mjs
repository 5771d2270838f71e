// Prism's HTTP server run inside this process, as its mock of the spec or as its
// validating proxy in front of an upstream, both with `--errors` (a response that breaks
// the spec becomes a 500 naming the violation). In this process rather than as Prism's
// CLI in a child: a server cannot outlive the process that holds it, however that process
// ends, and the spec is read once however many servers share it (a Prism child costs
// about 2 s of CPU to start; a further server here, a few milliseconds).
import http from "node:http";
import { createRequire, Module } from "node:module";
import { fileURLToPath } from "node:url";
import { PRISM_SPEC_PATH } from "./spec.mjs";

const require = createRequire(import.meta.url);
/**
 * Spec path → its operations as Prism reads them, read once per process. On globalThis
 * because this module can be loaded twice in one process (vitest loads each project's
 * global setup through a module runner of its own), and Prism caches its compiled Ajv
 * validators on these operations' schema objects: one reading shares them all.
 */
const operationsBySpec = (globalThis[Symbol.for("komoju-ts.prism.operationsBySpec")] ??= new Map());

function operationsOf(spec) {
  if (!operationsBySpec.has(spec)) {
    const { getHttpOperationsFromSpec } = require("@stoplight/prism-http");
    operationsBySpec.set(spec, getHttpOperationsFromSpec(spec));
  }
  return operationsBySpec.get(spec);
}

/**
 * Prism's mocker loads @faker-js/faker with every locale (~0.8 s of CPU) for dynamic
 * examples, which these servers never make (`dynamic: false`): it gets the English
 * faker instead, loaded only if something ever asks for it.
 */
function withEnglishFaker() {
  const fromPrism = createRequire(require.resolve("@stoplight/prism-http"));
  const path = fromPrism.resolve("@faker-js/faker");
  if (require.cache[path]) return;
  const english = new Module(path);
  english.filename = path;
  english.loaded = true;
  let faker;
  english.exports = {
    get default() {
      return (faker ??= fromPrism("@faker-js/faker/locale/en"));
    },
    get faker() {
      return this.default;
    },
  };
  require.cache[path] = english;
}

/**
 * Starts a Prism server on `host:port` (port 0: the kernel picks one) and resolves with
 * its URL and a `stop` (as the local KOMOJU has). `upstream`: proxy to it and validate both ways
 * (answers unless `validateResponses` is false); else mock.
 * `onLog`: receives Prism's log entries as objects (`msg`, `input` on "Request received");
 * without it Prism logs nothing. A busy port rejects with an Error whose code is EADDRINUSE.
 * `validateResponses: false` skips Prism's check of the answers it sends back (a request
 * is always checked).
 *
 * @param {{ upstream?: string, port?: number, host?: string, spec?: string, onLog?: (entry: any) => void, validateResponses?: boolean }} options
 */
export async function startPrism({
  upstream,
  port = 0,
  host = "127.0.0.1",
  spec = fileURLToPath(PRISM_SPEC_PATH),
  onLog,
  validateResponses = true,
} = {}) {
  // Loaded on first use, so a caller that fails early (a busy port) never pays for Prism.
  withEnglishFaker();
  const { createServer } = require("@stoplight/prism-http-server");
  const { createLogger } = require("@stoplight/prism-core");
  const operations = await operationsOf(spec);
  const destination = onLog && { write: (line) => onLog(JSON.parse(line)) };
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
  // Prism keeps its Node server to itself; it is caught as Prism makes it, so that stop
  // can end the connections clients hold open: one request never finished would
  // otherwise keep the close (and Ctrl-C, and a test teardown) waiting for minutes.
  const makeServer = http.createServer;
  let raw;
  http.createServer = (...args) => (raw = makeServer.apply(http, args));
  let server;
  try {
    server = createServer(operations, {
      cors: true,
      config,
      components: { logger: logger.child({ name: "HTTP SERVER" }) },
    });
  } finally {
    http.createServer = makeServer;
  }
  // Prism's listen rejects with the error's message alone.
  const url = await server.listen(port, host).catch((message) => {
    const error = new Error(`Prism could not listen on ${host}:${port}: ${message}`);
    if (/EADDRINUSE/.test(String(message))) error.code = "EADDRINUSE";
    throw error;
  });
  return {
    url,
    stop() {
      const closed = server.close();
      raw.closeAllConnections();
      return closed;
    },
  };
}
