// What Linux's /proc says of processes, for the tests that prove nothing is left running.
import { readdir, readFile } from "node:fs/promises";

/** The command line of one of vitest's own workers, which come and go with the test files. */
export const VITEST_WORKER = /vitest\/dist\/workers\//;

/** A process's children, from every one of its threads' lists (a child belongs to the thread that forked it). */
export async function childrenOf(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  const lists = await Promise.all(
    threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, "utf8").catch(() => "")),
  );
  return lists
    .join(" ")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Every descendant of a process. */
export async function descendants(pid: number): Promise<number[]> {
  const children = await childrenOf(pid);
  return [...children, ...(await Promise.all(children.map(descendants))).flat()];
}

/** A process's command line, or "" once it is gone. */
export async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).replaceAll("\0", " ").trim();
}

/** The kernel's name for the process (`node`, `sleep`), kept after it exits until it is reaped; "" once gone. */
export async function processName(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
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
