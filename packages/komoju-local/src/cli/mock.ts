// `komoju-local mock`: Prism's stateless mock of every operation, behind the same front as
// the local KOMOJU (refusals in KOMOJU's error envelope, naming the parameter).
import { startMock } from "../mock.js";
import {
  ensureFree,
  type Io,
  MOCK_PORT,
  painter,
  portFrom,
  type Running,
  requestLogger,
  startFailure,
} from "./shared.js";

export const MOCK_HELP = `Usage: komoju-local mock [--port <port>]

Prism's stateless mock of every operation in the spec: answers with the spec's examples,
refuses what the spec refuses (in KOMOJU's error envelope, naming the parameter).

Options:
  --port <port>   its port (default 4010, or KOMOJU_MOCK_PORT; 0 picks one)
  -h, --help      this help

Ask for an error with -H 'Prefer: code=404', another example with -H 'Prefer: example=completed'.`;

const HOST = "127.0.0.1";

export async function mock(flags: { port?: string | undefined }, io: Io): Promise<Running> {
  const port = portFrom(flags.port, "KOMOJU_MOCK_PORT", io, 4010);
  await ensureFree(port, HOST, MOCK_PORT);
  const running = await startMock({ port, host: HOST, log: requestLogger(io) }).catch((error) => {
    throw startFailure("The mock", port, HOST, MOCK_PORT)(error);
  });
  const url = running.url;
  io.out(`
  ${painter(io)(1, "KOMOJU mock")}   ${url}
                stateless Prism: answers with the spec's examples, refuses what the spec refuses
                (in KOMOJU's error envelope, naming the parameter)

  Try: curl -u sk_test_123: ${url}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv
  Ask for an error with -H 'Prefer: code=404', another example with -H 'Prefer: example=completed'.
  For state (create, pay, webhooks), run komoju-local start instead.

  Ctrl-C stops it.
`);
  return {
    async stop() {
      await running.stop();
      return 0;
    },
  };
}
