import { type LocalKomojuOptions, startLocalKomoju as start } from "../../local-komoju/index.mjs";

export interface LocalKomoju {
  url: string;
  /** Every line it logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A local KOMOJU (front, Prism's validating proxy, simulator) in this process on a free
 * loopback port: it cannot outlive the test file, and in a worker that already loaded
 * Prism it starts in milliseconds.
 */
export async function startLocalKomoju(options: Omit<LocalKomojuOptions, "port" | "log"> = {}): Promise<LocalKomoju> {
  let output = "";
  const komoju = await start({ ...options, port: 0, log: (line) => (output += `${line}\n`) });
  return { url: komoju.url, output: () => output, stop: () => komoju.stop() };
}

export const KEY = "sk_test_local";
export const auth = (key = KEY) => ({ authorization: `Basic ${btoa(`${key}:`)}` });

/** A JSON API call; returns status, parsed body and headers. */
export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = auth()) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}
