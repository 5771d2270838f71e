import { execFile } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { consumer, openapiVersion, expected as working } from "./install/consumer.mjs";
import { npmEnv } from "./install/npm-env.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

// Imports the built package by its name from plain Node (the package resolves itself
// through its `exports` map), as ESM and as CommonJS. Each Node process costs more than
// what it checks, so one process imports both builds and every test reads its report.
const node = async (script: string) =>
  JSON.parse((await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root })).stdout);
const once = <T>(make: () => Promise<T>) => {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
};
const loadBoth = `
  import { createRequire } from "node:module";
  const formats = { ESM: await import("komoju-ts"), CommonJS: createRequire(import.meta.url)("komoju-ts") };`;

const plain = once(() =>
  node(`${loadBoth}
    const report = {};
    for (const [format, pkg] of Object.entries(formats)) {
      const client = pkg.createKomojuClient({ secretKey: "sk_test_1", baseUrl: "http://127.0.0.1:1" });
      report[format] = {
        helpers: Object.keys(client.sessions).sort(),
        get: typeof client.GET,
        error: new pkg.KomojuNotFoundError("x", "not_found", { status: 404 }) instanceof pkg.KomojuError,
      };
    }
    console.log(JSON.stringify(report));`),
);

// Node 18 has no global crypto: both builds are loaded after it is removed, and the
// global is read again at the end, so a build that put one back would be caught.
const withoutCrypto = once(() =>
  node(`
    Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
    ${loadBoth}
    const body = JSON.stringify({ id: "ev_1", type: "ping", resource: "event", data: {}, created_at: new Date().toISOString() });
    const signature = await formats.ESM.signWebhookPayload(body, "whsec_1");
    const event = await formats.ESM.verifyWebhook({ rawBody: body, signature, secret: "whsec_1" });
    const keys = {};
    for (const [format, pkg] of Object.entries(formats)) {
      keys[format] = [];
      const fetch = async (request) => (keys[format].push(request.headers.get("x-komoju-idempotency")), new Response("{}"));
      const client = pkg.createKomojuClient({ secretKey: "sk_test_1", fetch });
      await Promise.all([client.sessions.cancel("a"), client.sessions.cancel("b")]);
    }
    console.log(JSON.stringify({ global: typeof globalThis.crypto, webhook: { type: event.type, signature }, keys }));`),
);

describe("the built package", () => {
  it.runIf(existsSync(`${root}/dist`)).each([
    ["ESM import", "ESM"],
    ["CommonJS require", "CommonJS"],
  ])("%s by package name works from plain Node", async (_how, format) => {
    expect((await plain())[format]).toEqual({
      helpers: ["cancel", "create", "pay", "retrieve"],
      get: "function",
      error: true,
    });
  });

  it.runIf(existsSync(`${root}/dist`))("verifies webhooks without a global crypto, as on Node 18", async () => {
    const out = await withoutCrypto();
    expect(out.global).toBe("undefined");
    expect(out.webhook.type).toBe("ping");
    expect(out.webhook.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it.runIf(existsSync(`${root}/dist`)).each(["ESM", "CommonJS"])(
    "%s build makes idempotency keys without a global crypto, as on Node 18",
    async (format) => {
      const out = await withoutCrypto();
      expect(out.global).toBe("undefined");
      const keys = out.keys[format];
      expect(keys).toHaveLength(2);
      for (const key of keys)
        expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(keys[0]).not.toBe(keys[1]);
    },
  );

  it("is built before the tests run (npm test builds first)", () => {
    expect(existsSync(`${root}/dist/esm/src/index.js`)).toBe(true);
    expect(existsSync(`${root}/dist/cjs/src/index.js`)).toBe(true);
  });
});

// What a user gets from `npm install`: the package packed, installed into a project of
// its own and imported there by name, as ESM and as CommonJS in one process. npm packs
// the folder itself (`--install-links`: the same packing as `npm pack` and `npm
// publish`, and as npm's install of a git dependency), so one npm process packs and
// installs. Offline: its one dependency (openapi-fetch, for its types, with
// openapi-typescript-helpers) is copied in from this repository first, since `npm ci`
// leaves no registry metadata in npm's cache for `--offline` to resolve it from on a
// fresh machine. The two installs share nothing and mostly wait on their children, so
// they run side by side.
describe.concurrent("installed into another project", () => {
  const work = mkdtempSync(join(tmpdir(), "komoju-install-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Installs the package folder `from` into a new project `name`; returns the installed package's folder and what the consumer printed. */
  async function installAndImport(name: string, from: string, npmOptions: string[] = []) {
    const project = join(work, name);
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" }),
    );
    for (const dependency of ["openapi-fetch", "openapi-typescript-helpers"]) {
      cpSync(join(root, "node_modules", dependency), join(project, "node_modules", dependency), { recursive: true });
    }
    await run(
      "npm",
      [
        "install",
        "--install-links",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--no-package-lock",
        "--no-update-notifier",
        ...npmOptions,
        from,
      ],
      { cwd: project, env: npmEnv() },
    );
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", consumer], { cwd: project });
    return { installed: join(project, "node_modules", "komoju-ts"), imported: JSON.parse(stdout) };
  }

  const expected = { ...working, openapi: expect.stringMatching(openapiVersion) };

  // Without scripts: `prepare` would rebuild this checkout's dist/ under the other tests.
  it("packed from this checkout", { timeout: 60_000 }, async ({ expect }) => {
    const { installed, imported } = await installAndImport("checkout", root, ["--ignore-scripts"]);
    expect(existsSync(installed) && !lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(imported).toEqual(expected);
  });

  // npm installs a git dependency by cloning it, installing its dependencies from its
  // lockfile, running `prepare` and packing the result. The same here, with the
  // repository's own node_modules standing in for the installed dependencies: so
  // HEAD alone must build (nothing untracked), and `prepare` must build dist/.
  // (`npm run test:git-install` installs from a git+file:// URL for real, in CI.)
  it("from a git clone of HEAD, built by prepare", { timeout: 120_000 }, async ({ expect }) => {
    const clone = join(work, "clone");
    await run("git", ["clone", "--quiet", "--depth", "1", `file://${root}`, clone]);
    expect(existsSync(join(clone, "dist"))).toBe(false);
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "dir");
    const { installed, imported } = await installAndImport("git", clone);
    for (const file of ["dist/esm/src/index.js", "dist/cjs/src/index.js", "dist/esm/src/index.d.ts"])
      expect(existsSync(join(installed, file)), file).toBe(true);
    expect(imported).toEqual(expected);
  });
});
