// `komoju-local proxy --upstream <url>`: Prism's validating proxy in front of a KOMOJU (a
// test account): each request and each answer checked against the spec, one line per
// violation, a summary on exit; with --fail-on-drift the exit code says whether any was seen.
import { startProxy } from "../proxy.js";
import {
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

export const PROXY_HELP = `Usage: komoju-local proxy --upstream <url> [--port <port>] [--fail-on-drift]

Prism's validating proxy in front of a KOMOJU (your test account): point your client's
baseUrl at it and every request and answer is checked against the spec. One line per
violation as it is seen, a summary when it stops.

Options:
  --upstream <url>   the KOMOJU to forward to (e.g. https://komoju.com)
  --port <port>      its port (default 4010, or KOMOJU_MOCK_PORT; 0 picks one)
  --fail-on-drift    exit non-zero on stop if any violation was seen (for CI)
  -h, --help         this help`;

export interface ProxyFlags {
  upstream?: string | undefined;
  port?: string | undefined;
  "fail-on-drift"?: boolean | undefined;
}

const HOST = "127.0.0.1";

export async function proxy(flags: ProxyFlags, io: Io): Promise<Running> {
  const upstream = flags.upstream;
  if (!upstream || !/^https?:\/\//.test(upstream)) throw new UsageError("--upstream needs the KOMOJU's http(s) URL.");
  const port = portFrom(flags.port, "KOMOJU_MOCK_PORT", io, 4010);
  await ensureFree(port, HOST, MOCK_PORT);
  const paint = painter(io);
  const running = await startProxy({
    upstream,
    port,
    host: HOST,
    log: requestLogger(io),
    onViolation: (v) => io.err(paint(33, `violation: ${v.method} ${v.path} ${v.status} ${v.location}: ${v.message}`)),
  }).catch((error) => {
    throw startFailure("The validating proxy", port, HOST, MOCK_PORT)(error);
  });
  io.out(`
  ${paint(1, "Validating proxy")}  ${running.url}  →  ${upstream}
                    every request and answer checked against the spec

  Point your client's baseUrl at ${running.url}.${flags["fail-on-drift"] ? "\n  --fail-on-drift: the exit code is 1 if any violation is seen." : ""}

  Ctrl-C stops it.
`);
  return {
    async stop() {
      await running.stop();
      const found = running.violations;
      const exchanges = new Set(found.map((v) => `${v.method} ${v.path} ${v.status}`)).size;
      io.out(
        found.length === 0
          ? "proxy summary: no violations."
          : `proxy summary: ${found.length} violation${found.length === 1 ? "" : "s"} in ${exchanges} exchange${exchanges === 1 ? "" : "s"}.`,
      );
      return flags["fail-on-drift"] && found.length > 0 ? 1 : 0;
    },
  };
}
