import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface PrismServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The Prism process itself (not its lifeline), to prove it is gone after stop(). */
  prismPid: number;
  lifeline: ChildProcess;
  stop(): Promise<void>;
}

const LIFELINE = fileURLToPath(new URL("../../scripts/prism-lifeline.mjs", import.meta.url));
export const SPEC = fileURLToPath(new URL("../../openapi/openapi.yaml", import.meta.url));

/**
 * Starts `prism mock <spec>` or `prism proxy <spec> <upstream>` with `--errors` on
 * 127.0.0.1 and a port the kernel picks (no race for a "free" port), and resolves
 * once Prism says it is listening.
 */
export async function startPrism(options: { upstream?: string; timeoutMs?: number } = {}): Promise<PrismServer> {
  const args = options.upstream
    ? ["proxy", SPEC, options.upstream, "--errors"]
    : ["mock", SPEC, "--errors"];
  args.push("--host", "127.0.0.1", "--port", "0");
  const lifeline = spawn(process.execPath, [LIFELINE, ...args], { stdio: ["pipe", "pipe", "pipe"] });

  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`)), options.timeoutMs ?? 60_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      lifeline.kill("SIGKILL");
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    lifeline.stdout!.on("data", onData);
    lifeline.stderr!.on("data", onData);
    lifeline.once("exit", (code) => fail(new Error(`Prism exited (${code}) before listening:\n${output}`)));
  });
  // Keep draining Prism's log so its pipe never fills up and blocks it.
  lifeline.stdout!.resume();
  lifeline.stderr!.resume();

  const prismPid = Number(/\bpid[= ](\d+)/.exec(output)?.[1] ?? 0) || (await findPrismPid(lifeline.pid!));
  return {
    url,
    prismPid,
    lifeline,
    async stop() {
      if (lifeline.exitCode !== null || lifeline.signalCode !== null) return;
      const exited = new Promise((resolve) => lifeline.once("exit", resolve));
      lifeline.stdin!.end();
      await exited;
    },
  };
}

/** The lifeline's only child is Prism. */
async function findPrismPid(lifelinePid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const children = await readFile(`/proc/${lifelinePid}/task/${lifelinePid}/children`, "utf8").catch(() => "");
  return Number(children.trim().split(/\s+/)[0] ?? 0);
}

/** True while a process with this pid exists and is not a zombie. */
export async function isAlive(pid: number): Promise<boolean> {
  if (!pid) return false;
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  if (stat === "") return false;
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}
