import { readFile } from "node:fs/promises";
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

/** True while a process with this pid exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  if (stat === "") return false;
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

/** Resolves once the process has exited; throws after 5 s. */
export async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (!(await isAlive(pid))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} is still running`);
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
