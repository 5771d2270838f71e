// `npm run mock` and the contract suite's mock: Prism's stateless mock of the spec (or
// its validating proxy to an upstream) behind the same front as the local KOMOJU's, so
// its refusals arrive in KOMOJU's error envelope, naming the parameter and the reason,
// with Prism's findings in `sl-violations`. Prism listens on a free loopback port of its own.
import { createProxyFront } from "./front.js";
import { close, listen } from "./listen.js";
import { type RunningPrism, startPrism } from "./prism.js";
import type { Violation } from "./violations.js";

export interface MockOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  /** Proxy to this URL and validate both ways, instead of mocking. */
  upstream?: string | undefined;
  /** `false`: Prism does not check its answers against the spec (requests are always checked). Default `true`. */
  validateResponses?: boolean;
  /** One line per request. */
  log?: (line: string) => void;
  /** Told of each request whose request or answer Prism found breaking the spec. */
  onViolations?: (request: { method: string; path: string; status: number }, violations: Violation[]) => void;
}

export interface RunningMock {
  /** The front, e.g. http://127.0.0.1:4010 */
  url: string;
  /** Prism behind it. */
  prismUrl: string;
  stop(): Promise<void>;
}

/** A busy port rejects with Node's error, its `code` (EADDRINUSE) intact, before Prism is loaded. */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const { port = 4010, host = "127.0.0.1", upstream, validateResponses = true, log = () => {}, onViolations } = options;
  let prismReady: (url: string) => void = () => {};
  const target = new Promise<string>((resolve) => {
    prismReady = resolve;
  });
  let url = "";
  const front = createProxyFront({
    target,
    log,
    ownUrl: () => url,
    server: upstream ? "validating proxy" : "mock",
    answeredBy: upstream ? "the upstream" : "the spec's example",
    onViolations:
      onViolations && (({ method, path }, violations, status) => onViolations({ method, path, status }, violations)),
  });
  url = await listen(front, port, host);
  let prism: RunningPrism;
  try {
    prism = await startPrism({ upstream, validateResponses });
  } catch (error) {
    await close(front);
    throw error;
  }
  prismReady(prism.url);
  return {
    url,
    prismUrl: prism.url,
    async stop() {
      await Promise.all([close(front), prism.stop()]);
    },
  };
}
