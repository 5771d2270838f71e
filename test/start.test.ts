import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs `npm start`'s script on free ports and resolves with the URLs it prints. */
function start(args: string[] = []) {
  const child = spawn(process.execPath, ["scripts/start.mjs", ...args], {
    cwd: root,
    env: { ...process.env, KOMOJU_MOCK_PORT: "0", KOMOJU_DOCS_PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<{ mock: string; docs: string | undefined }>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      const mock = /KOMOJU mock\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (mock && output.includes("Ctrl-C")) resolve({ mock, docs: /API docs\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1] });
    });
    child.once("exit", (code) => reject(new Error(`start exited (${code}):\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, ready, exited, output: () => output };
}

const auth = { authorization: `Basic ${btoa("sk_test_123:")}` };

describe("npm start", () => {
  it("serves the mock and the docs on loopback, prints a snippet, and Ctrl-C stops both", async () => {
    const { child, ready, exited, output } = start();
    const { mock, docs } = await ready;
    expect(output()).toContain(`createKomojuClient({ secretKey: "sk_test_123", baseUrl: "${mock}" })`);

    const session = await fetch(`${mock}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv`, { headers: auth });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ resource: "session" });
    const page = await fetch(docs!);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("KOMOJU Sessions API");

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(`${mock}/api/v1/sessions/x`, { headers: auth })).rejects.toThrow();
    await expect(fetch(docs!)).rejects.toThrow();
  }, 60_000);

  it("npm run mock serves the mock alone", async () => {
    const { child, ready, exited } = start(["--mock-only"]);
    const { mock, docs } = await ready;
    expect(docs).toBeUndefined();
    expect((await fetch(`${mock}/api/v1/sessions/x`, { headers: { ...auth, prefer: "code=404" } })).status).toBe(404);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
