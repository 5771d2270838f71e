import {
  type LocalKomojuOptions,
  type LocalKomoju as Running,
  startLocalKomoju as start,
} from "../../packages/komoju-local/src/index.js";

export { startPrism } from "../../packages/komoju-local/src/index.js";

export interface LocalKomoju {
  url: string;
  /** The simulator's state, for tests that look behind the API. */
  komoju: Running["store"];
  /** Every line it logged so far. */
  output(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A local KOMOJU (front, Prism's validating proxy, simulator) on a free loopback port, in
 * this test file's worker. A worker keeps the modules it loaded across files, and with
 * them Prism's reading of the spec and its compiled validators, so only a worker's first
 * instance pays for them.
 */
export async function startLocalKomoju(
  options: Omit<LocalKomojuOptions, "port" | "host" | "log"> = {},
): Promise<LocalKomoju> {
  const lines: string[] = [];
  const running = await start({ ...options, port: 0, log: (line) => lines.push(line) });
  return {
    url: running.baseUrl,
    komoju: running.store,
    output: async () => lines.map((line) => `${line}\n`).join(""),
    stop: () => running.stop(),
  };
}

export const KEY = "sk_test_local";
export const auth = (key = KEY) => ({ authorization: `Basic ${btoa(`${key}:`)}` });

/** A JSON API call; returns status, parsed body and headers. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = auth(),
) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read any answer's JSON and assert on what they read
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}
