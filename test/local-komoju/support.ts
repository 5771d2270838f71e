import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const SERVE = fileURLToPath(new URL("../../local-komoju/serve.mjs", import.meta.url));

export interface LocalKomoju {
  url: string;
  prismPid: number;
  child: ChildProcessWithoutNullStreams;
  /** Everything the server printed so far. */
  output(): string;
  /** Closes its stdin (how a dying parent ends it) and waits until it and Prism are gone. */
  stop(): Promise<void>;
}

/** Runs local-komoju/serve.mjs on a free loopback port. */
export async function startLocalKomoju(env: Record<string, string> = {}): Promise<LocalKomoju> {
  const child = spawn(process.execPath, [SERVE], {
    env: { ...process.env, KOMOJU_MOCK_PORT: "0", NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const [, url, pid] = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${output}`)), 120_000);
    child.stdout.on("data", () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+) \(Prism pid (\d+)\)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited (${code}) before listening:\n${output}`)));
  });
  return {
    url: url!,
    prismPid: Number(pid),
    child,
    output: () => output,
    async stop() {
      child.stdin.end();
      await exited;
      await waitUntilGone(Number(pid));
    },
  };
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
