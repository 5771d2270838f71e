import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { commandLine, descendants, isAlive, waitUntilGone } from "./support/processes.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs `npm start`'s script (or npm itself) on free ports and resolves with the URLs it prints. */
function start(
  args: string[] = [],
  env: Record<string, string> = {},
  command = [process.execPath, "--import", "tsx", "scripts/start.ts"],
) {
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    cwd: root,
    env: { ...process.env, KOMOJU_MOCK_PORT: "0", KOMOJU_DOCS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<{ mock: string; docs: string | undefined }>((resolve, reject) => {
    child.stdout.on("data", () => {
      const mock = /(?:Local KOMOJU|KOMOJU mock)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (mock && output.includes("Ctrl-C"))
        resolve({ mock, docs: /API docs\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1] });
    });
    child.once("exit", (code) => reject(new Error(`start exited (${code}):\n${output}`)));
  });
  ready.catch(() => {}); // the busy-port tests wait for the exit instead
  return { child, ready, exited, output: () => output };
}

const auth = { authorization: `Basic ${btoa("sk_test_123:")}` };

function occupy(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("npm start", () => {
  it("serves the local KOMOJU and the docs from one process on loopback, logs each request, and Ctrl-C stops it", async () => {
    const hooks = ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"];
    const { child, ready, exited, output } = start([], {
      KOMOJU_WEBHOOK_URL: ` ${hooks[0]}, ${hooks[1]},`,
      KOMOJU_WEBHOOK_SECRET: "whsec_start",
    });
    const { mock, docs } = await ready;
    // Prism runs inside the script: there is no child to leave behind. tsx compiles through
    // esbuild's service, a child that ends with its parent (it reads its stdin from it).
    const children = await Promise.all((await descendants(child.pid!)).map(commandLine));
    expect(children.filter((command) => command !== "" && !/\/esbuild --service=/.test(command))).toEqual([]);
    // The printed key works, and the snippet uses it.
    const key = /Secret key\s+(sk_test_\w+)/.exec(output())?.[1];
    expect(key).toMatch(/^sk_test_local_[0-9a-f]{24}$/);
    expect(output()).toContain(`createKomojuClient({ secretKey: "${key}", baseUrl: "${mock}" })`);
    const auth = { authorization: `Basic ${btoa(`${key}:`)}` };
    // KOMOJU_WEBHOOK_URL is read as a comma-separated list, spaces and empty entries dropped.
    expect(output()).toMatch(new RegExp(`Webhooks\\s+${hooks.join(", ")}  \\(signed with KOMOJU_WEBHOOK_SECRET\\)`));
    expect(output()).not.toContain("whsec_start");
    expect(output()).toMatch(/Webhook secret\s+KOMOJU_WEBHOOK_SECRET$/m);
    expect(output()).not.toContain("\x1b[");

    const created = await fetch(`${mock}/api/v1/sessions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ amount: 1234, currency: "USD", return_url: "http://127.0.0.1:3000/return" }),
    });
    const session = (await created.json()) as { id: string; amount: number; session_url: string };
    expect(session.amount).toBe(1234);
    expect(session.session_url.startsWith(mock)).toBe(true);
    const retrieved = await fetch(`${mock}/api/v1/sessions/${session.id}`, { headers: auth });
    expect(((await retrieved.json()) as { id: string }).id).toBe(session.id);
    const refused = await fetch(`${mock}/api/v1/sessions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "{}",
    });
    expect(refused.status).toBe(422);
    const page = await fetch(docs!);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("KOMOJU API");
    expect(output()).toMatch(new RegExp(`^GET /api/v1/sessions/${session.id} 200 \\d+ ms$`, "m"));
    expect(output()).toMatch(/^POST \/api\/v1\/sessions 422 \d+ ms {2}A required parameter \(\w+\) is missing$/m);

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(`${mock}/api/v1/sessions/x`, { headers: auth })).rejects.toThrow();
    await expect(fetch(docs!)).rejects.toThrow();
  }, 90_000);

  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)(
    "npm run mock's script stops on %s with exit code 0 and closes its port",
    async (signal) => {
      const { child, ready, exited } = start(["--mock-only"]);
      const { mock } = await ready;
      expect((await fetch(`${mock}/api/v1/sessions/x`, { headers: { ...auth, prefer: "code=404" } })).status).toBe(404);
      child.kill(signal);
      expect(await exited).toBe(0);
      await expect(fetch(`${mock}/api/v1/sessions/x`, { headers: auth })).rejects.toThrow();
    },
    90_000,
  );

  it("npm run mock serves the stateless mock alone, logs concisely, and SIGTERM to npm itself stops it", async () => {
    const { child, ready, exited, output } = start([], {}, ["npm", "run", "mock", "--silent"]);
    const { mock, docs } = await ready;
    expect(docs).toBeUndefined();
    const processes = await descendants(child.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${mock}/api/v1/sessions/x`, { headers: { ...auth, prefer: "code=404" } })).status).toBe(404);
    await expect.poll(output).toMatch(/^GET \/api\/v1\/sessions\/x 404 \d+ ms$/m);
    // A refusal in KOMOJU's envelope, naming the parameter, with Prism's finding beside it.
    const refused = await fetch(`${mock}/api/v1/sessions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ amount: 1000, return_url: "http://127.0.0.1:3000/return" }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({
      error: { code: "missing_parameter", message: "A required parameter (currency) is missing", param: "currency" },
    });
    expect(refused.headers.get("sl-violations")).toContain("required property 'currency'");
    await expect
      .poll(output)
      .toMatch(/^POST \/api\/v1\/sessions 422 \d+ ms {2}A required parameter \(currency\) is missing$/m);
    child.kill("SIGTERM");
    await exited;
    for (const pid of processes) await waitUntilGone(pid);
    await expect(fetch(`${mock}/api/v1/sessions/x`, { headers: auth })).rejects.toThrow();
  }, 90_000);

  for (const [name, args] of [
    ["KOMOJU_MOCK_PORT", []],
    ["KOMOJU_DOCS_PORT", []],
    ["KOMOJU_MOCK_PORT", ["--mock-only"]],
  ] as const) {
    it(`a busy ${name}${args.length ? " (mock only)" : ""} gets one line naming ${name}`, async () => {
      const taken = await occupy();
      try {
        const { exited, output, child } = start([...args], { [name]: String((taken.address() as AddressInfo).port) });
        expect(await exited).toBe(1);
        const lines = output()
          .trim()
          .split("\n")
          .filter((line) => !line.startsWith("Wrote docs"));
        expect(lines).toEqual([expect.stringContaining(`set ${name} to another port`)]);
        expect(await isAlive(child.pid!)).toBe(false);
      } finally {
        taken.close();
      }
    }, 90_000);
  }
});
