import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

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

// What a user gets from `npm install`: the package packed, installed into a project of
// its own and imported there by name, as ESM and as CommonJS in one process. Offline:
// its one dependency (openapi-fetch, for its types, with openapi-typescript-helpers) is
// copied in from this repository first, since `npm ci` leaves no registry metadata in
// npm's cache for `--offline` to resolve it from on a fresh machine.
describe("installed into another project", () => {
  const work = mkdtempSync(join(tmpdir(), "komoju-install-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const consumer = `
    import { createRequire } from "node:module";
    import * as esm from "komoju-ts";
    const cjs = createRequire(import.meta.url)("komoju-ts");
    const spec = createRequire(import.meta.url)("komoju-ts/openapi.json");
    const use = async (pkg) => {
      const fetch = async (request) => new Response(JSON.stringify({ id: request.url.split("/").pop(), status: "pending" }), { headers: { "content-type": "application/json" } });
      const session = await pkg.createKomojuClient({ secretKey: "sk_test_1", fetch }).sessions.retrieve("sess_1");
      return { session: session.id, error: new pkg.NotFoundError("x", "not_found", { status: 404 }) instanceof pkg.KomojuError };
    };
    console.log(JSON.stringify({ esm: await use(esm), cjs: await use(cjs), distinct: esm.KomojuError !== cjs.KomojuError, openapi: spec.openapi }));`;

  async function installAndImport(name: string, tarball: string) {
    const project = join(work, name);
    await run("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }));
    for (const dependency of ["openapi-fetch", "openapi-typescript-helpers"]) {
      cpSync(join(root, "node_modules", dependency), join(project, "node_modules", dependency), { recursive: true });
    }
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--no-package-lock", "--no-update-notifier", tarball], { cwd: project });
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", consumer], { cwd: project });
    return JSON.parse(stdout);
  }

  const expected = { esm: { session: "sess_1", error: true }, cjs: { session: "sess_1", error: true }, distinct: true, openapi: expect.stringMatching(/^3\.1\./) };

  it("from a packed tarball", { timeout: 60_000 }, async () => {
    const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: root });
    const [{ filename }] = JSON.parse(stdout);
    expect(await installAndImport("tarball", join(work, filename))).toEqual(expected);
  });

  // npm installs a git dependency by cloning it, installing its dependencies from its
  // lockfile, running \`prepare\` and packing the result. The same here, with the
  // repository's own node_modules standing in for the installed dependencies: so
  // HEAD alone must build (nothing untracked), and \`prepare\` must build dist/.
  // (\`npm run test:git-install\` installs from a git+file:// URL for real, in CI.)
  it("from a git clone of HEAD, built by prepare", { timeout: 120_000 }, async () => {
    const clone = join(work, "clone");
    await run("git", ["clone", "--quiet", "--depth", "1", `file://${root}`, clone]);
    expect(existsSync(join(clone, "dist"))).toBe(false);
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "dir");
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: clone });
    // prepare's own output comes first.
    const [{ filename, files }] = JSON.parse(stdout.slice(stdout.search(/^\[/m)));
    expect(files.map((file: { path: string }) => file.path)).toEqual(expect.arrayContaining(["dist/esm/src/index.js", "dist/cjs/src/index.js", "dist/esm/src/index.d.ts"]));
    expect(await installAndImport("git", join(work, filename))).toEqual(expected);
  });
});
