import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isAlive } from "./support/prism.js";

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const CONFIG = fileURLToPath(new URL("./fixtures/lifecycle/vitest.config.ts", import.meta.url));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a nested vitest with the contract suite's global setup; ends it as `end` says; returns the pids of every Prism it started. */
async function runNested(end: "finish" | "SIGTERM" | "SIGINT" | "SIGKILL") {
  const pidFile = join(mkdtempSync(join(tmpdir(), "prism-lifecycle-")), "pids");
  try {
    const runner = spawn(process.execPath, [VITEST, "run", "--config", CONFIG], {
      env: { ...process.env, LIFECYCLE_PID_FILE: pidFile, LIFECYCLE_HANG: end === "finish" ? "0" : "1" },
      // Piped and drained, as under CI: with stdio "ignore", four concurrent nested runs
      // exit 1 without ever reporting a Prism (seen since the lifeline rework).
      stdio: ["ignore", "pipe", "pipe"],
    });
    runner.stdout!.resume();
    runner.stderr!.resume();
    const exited = new Promise<void>((resolve) => runner.once("exit", () => resolve()));
    // Four nested runs start three Prisms each at once (the main mock, the drift proxy and
    // the local KOMOJU's): on a loaded 2-core machine that takes a while.
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8") !== "", 120_000, "the nested run to start its Prisms");
    const prismPids = JSON.parse(readFileSync(pidFile, "utf8")) as number[];
    expect(prismPids).toHaveLength(3);
    for (const pid of prismPids) expect(pid).toBeGreaterThan(0);
    // A finishing run may already be tearing them down; a hanging one must have them up.
    if (end !== "finish") {
      for (const pid of prismPids) expect(await isAlive(pid)).toBe(true);
      runner.kill(end);
    }
    await exited;
    return prismPids;
  } finally {
    rmSync(dirname(pidFile), { recursive: true, force: true });
  }
}

describe("no Prism outlives the test run", () => {
  it.concurrent.each(["finish", "SIGTERM", "SIGINT", "SIGKILL"] as const)("when the runner ends by %s", async (end) => {
    for (const prismPid of await runNested(end)) {
      await waitFor(async () => !(await isAlive(prismPid)), 10_000, `Prism (pid ${prismPid}) to exit`);
      expect(await isAlive(prismPid)).toBe(false);
    }
  }, 180_000);
});
