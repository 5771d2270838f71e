import { inject } from "vitest";
import type { LocalKomojuOptions } from "../../local-komoju/index.mjs";

export interface LocalKomoju {
  url: string;
  /** Every line it logged so far. */
  output(): Promise<string>;
  stop(): Promise<void>;
}

/** Where the instances run: vitest's main process (setup/global.ts). */
export const host = inject("localKomojuHost");

async function control(method: string, path: string, body?: unknown): Promise<string> {
  const response = await fetch(new URL(path, host.controlUrl), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`The local KOMOJU control server refused ${method} ${path} (${response.status}): ${text}`);
  return text;
}

/** Something the control server started, as a handle: its URL, and a stop that resolves once it is closed. */
async function started(path: string, options?: object) {
  const { id, url } = JSON.parse(await control("POST", path, options)) as { id: string; url: string };
  return { id, url, stop: () => control("DELETE", `/instances/${id}`).then(() => undefined) };
}

/**
 * A local KOMOJU (front, Prism's validating proxy, simulator) on a free loopback port,
 * in vitest's main process beside the contract setup's Prism, whose reading of the spec
 * and compiled validators it shares, so it starts in milliseconds once either has run;
 * the run's teardown stops it if the file does not.
 */
export async function startLocalKomoju(
  options: Omit<LocalKomojuOptions, "port" | "host" | "log"> = {},
): Promise<LocalKomoju> {
  const { id, url, stop } = await started("/local-komoju", options);
  return { url, output: () => control("GET", `/instances/${id}/output`), stop };
}

/** A bare Prism mocking the spec, in the same process as the local KOMOJU instances. */
export async function startPrism(): Promise<{ url: string; stop(): Promise<void> }> {
  const { url, stop } = await started("/prism");
  return { url, stop };
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
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}
