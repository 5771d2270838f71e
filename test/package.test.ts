import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

// Imports the built package by its name from plain Node (the package resolves itself
// through its `exports` map), both as ESM and as CommonJS.
const program = (load: string) => `
${load}
const client = pkg.createKomojuClient({ secretKey: "sk_test_1", baseUrl: "http://127.0.0.1:1" });
console.log(JSON.stringify({
  helpers: Object.keys(client.sessions).sort(),
  get: typeof client.GET,
  error: new pkg.NotFoundError("x", "not_found", { status: 404 }) instanceof pkg.KomojuError,
}));`;

describe("the built package", () => {
  it.runIf(existsSync(`${root}/dist`)).each([
    ["ESM import", ["--input-type=module", "-e", program('import * as pkg from "komoju-ts";')]],
    ["CommonJS require", ["--input-type=commonjs", "-e", program('const pkg = require("komoju-ts");')]],
  ])("%s by package name works from plain Node", async (_how, args) => {
    const { stdout } = await run(process.execPath, args, { cwd: root });
    expect(JSON.parse(stdout)).toEqual({ helpers: ["cancel", "create", "pay", "retrieve"], get: "function", error: true });
  });

  it.runIf(existsSync(`${root}/dist`))("verifies webhooks without a global crypto, as on Node 18", async () => {
    const script = `
      Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
      const pkg = await import("komoju-ts");
      const body = JSON.stringify({ id: "ev_1", type: "ping", resource: "event", data: {}, created_at: "2020-08-17T09:00:00Z" });
      const signature = await pkg.signWebhookPayload(body, "whsec_1");
      const event = await pkg.verifyWebhook({ rawBody: body, signature, secret: "whsec_1" });
      console.log(JSON.stringify({ global: typeof globalThis.crypto, type: event.type, signature }));`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ global: "undefined", type: "ping" });
    expect(out.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it.runIf(existsSync(`${root}/dist`)).each([
    ["ESM", "--input-type=module", 'const pkg = await import("komoju-ts");'],
    ["CommonJS", "--input-type=commonjs", 'const pkg = require("komoju-ts");'],
  ])("%s build makes idempotency keys without a global crypto, as on Node 18", async (_format, inputType, load) => {
    const script = `
      Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
      ${load}
      const keys = [];
      const fetch = async (request) => (keys.push(request.headers.get("x-komoju-idempotency")), new Response("{}"));
      const client = pkg.createKomojuClient({ secretKey: "sk_test_1", fetch });
      Promise.all([client.sessions.cancel("a"), client.sessions.cancel("b")]).then(() => console.log(JSON.stringify({ global: typeof globalThis.crypto, keys })));`;
    const { stdout } = await run(process.execPath, [inputType, "-e", script], { cwd: root });
    const out = JSON.parse(stdout);
    expect(out.global).toBe("undefined");
    expect(out.keys).toHaveLength(2);
    for (const key of out.keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.keys[0]).not.toBe(out.keys[1]);
  });

  it("is built before the tests run (npm test builds first)", () => {
    expect(existsSync(`${root}/dist/esm/src/index.js`)).toBe(true);
    expect(existsSync(`${root}/dist/cjs/src/index.js`)).toBe(true);
  });
});
