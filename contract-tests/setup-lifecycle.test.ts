import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const CONFIG = fileURLToPath(new URL("./fixtures/lifecycle/vitest.config.ts", import.meta.url));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const answers = (url: string) => fetch(url).then(() => true, () => false);

/**
 * Runs a nested vitest with the contract suite's global setup, ends it as `end` says,
 * and returns what it reported: the URLs of the setup's servers and the command lines
 * of the runner's children.
 */
async function runNested(end: "finish" | "SIGKILL") {
  const report = join(mkdtempSync(join(tmpdir(), "setup-lifecycle-")), "report.json");
  try {
    const runner = spawn(process.execPath, [VITEST, "run", "--config", CONFIG], {
      env: { ...process.env, LIFECYCLE_REPORT: report, LIFECYCLE_HANG: end === "finish" ? "0" : "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    runner.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    runner.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => runner.once("exit", resolve));
    await waitFor(() => existsSync(report) && readFileSync(report, "utf8") !== "", 60_000, "the nested run to report its servers");
    const reported = JSON.parse(readFileSync(report, "utf8")) as { servers: string[]; children: string[] };
    expect(reported.servers).toHaveLength(4);
    // A hanging run has them up; a finishing one may already be tearing them down.
    if (end === "SIGKILL") {
      for (const url of reported.servers) expect(await answers(url), url).toBe(true);
      runner.kill(end);
    }
    const code = await exited;
    if (end === "finish") expect(code, output).toBe(0);
    return reported;
  } finally {
    rmSync(dirname(report), { recursive: true, force: true });
  }
}

describe("no server of the contract setup outlives the run", () => {
  it.concurrent.each(["finish", "SIGKILL"] as const)("when the runner ends by %s", async (end) => {
    const { servers, children } = await runNested(end);
    // Every server lives in the runner itself: its only children are vitest's workers.
    for (const child of children) expect(child).toMatch(/vitest\/dist\/workers\//);
    for (const url of servers) await waitFor(async () => !(await answers(url)), 10_000, `${url} to stop answering`);
  }, 90_000);
});
