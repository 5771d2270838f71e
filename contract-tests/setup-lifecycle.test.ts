import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { VITEST_WORKER } from "../test/support/processes.js";

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const CONFIG = fileURLToPath(new URL("./fixtures/lifecycle/vitest.config.ts", import.meta.url));

const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

// The setup's servers live in the runner's own process, so a runner killed in any way
// takes them with it; what can regress is the setup starting a process of its own, or
// its teardown leaving a server open (a run that never ends).
it("the contract setup starts no process of its own, and a finished run leaves no server answering", async () => {
  const dir = mkdtempSync(join(tmpdir(), "setup-lifecycle-"));
  const report = join(dir, "report.json");
  try {
    const runner = spawn(process.execPath, [VITEST, "run", "--config", CONFIG], {
      env: { ...process.env, LIFECYCLE_REPORT: report },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    runner.stdout!.on("data", (chunk: Buffer) => (output += chunk));
    runner.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => runner.once("exit", resolve));
    expect(code, output).toBe(0);
    const { servers, children } = JSON.parse(readFileSync(report, "utf8")) as { servers: string[]; children: string[] };
    expect(servers).toHaveLength(4);
    expect(children.length).toBeGreaterThan(0);
    // vitest's workers, and the esbuild service vite starts for TypeScript, nothing else.
    for (const child of children) expect(child).toMatch(new RegExp(`${VITEST_WORKER.source}|/esbuild `));
    for (const url of servers) expect(await answers(url), url).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
