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

  it("is built before the tests run (npm test builds first)", () => {
    expect(existsSync(`${root}/dist/esm/src/index.js`)).toBe(true);
    expect(existsSync(`${root}/dist/cjs/src/index.js`)).toBe(true);
  });
});
