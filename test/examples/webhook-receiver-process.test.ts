import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

// The example as `npm run example -- webhook-receiver` runs it: a Node process with tsx
// (slow to start, so in the integration project with the other processes).
describe("examples/webhook-receiver.ts run directly", () => {
  it("refuses to start without KOMOJU_WEBHOOK_SECRET, with one line that names it", async () => {
    const { KOMOJU_WEBHOOK_SECRET: _unset, ...env } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "examples/webhook-receiver.ts"], {
      env: { ...env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/^KOMOJU_WEBHOOK_SECRET is not set: /)]);
    // Starting Node with tsx takes seconds on a loaded CI machine.
  }, 30_000);
});
