// `npm run test:runtimes`: the smoke suite (smoke.mjs) against the built package on
// Node 18, 20, 22 and 24, Bun, Deno and Cloudflare's workerd, each installed from npm
// at the version pinned in versions.json into its own folder under .runtimes/
// (git-ignored; reused while the pin holds). One fake KOMOJU on 127.0.0.1 serves all.
// Prints a table and writes test-results/runtimes.json; exits non-zero if any check fails.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { npmEnv } from "../install/npm-env.mjs";
import { startServer } from "./server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const here = fileURLToPath(new URL(".", import.meta.url));
const runtimes = JSON.parse(readFileSync(join(here, "versions.json"), "utf8"));
const INSTALLS = join(root, ".runtimes");
const RUN_TIMEOUT_MS = 60_000;
// Keep the runtimes from checking for updates or prompting.
const quiet = { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DO_NOT_TRACK: "1", NO_COLOR: "1" };

function exec(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      ...options,
      // Without this repository's allow-scripts, which npm would read as a refused flag (install/npm-env.mjs).
      env: { ...npmEnv(), ...quiet, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Installs a runtime from npm unless its folder already holds the pinned version. */
async function install(name, { package: pkg, version, bin }) {
  const dir = join(INSTALLS, name);
  const manifest = JSON.stringify({ private: true, dependencies: { [pkg]: version } }, null, 2);
  const binary = join(dir, "node_modules", ".bin", bin);
  if (
    existsSync(binary) &&
    existsSync(join(dir, "package.json")) &&
    readFileSync(join(dir, "package.json"), "utf8") === manifest
  )
    return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), manifest);
  const result = await exec("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--no-update-notifier"], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  if (result.code !== 0 || !existsSync(binary))
    throw new Error(`npm install ${pkg}@${version} failed:\n${result.stdout}${result.stderr}`);
  return binary;
}

const freePort = () =>
  new Promise((resolvePromise, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolvePromise(port));
    });
  });

/** workerd serving worker.mjs, with the package as a named module, as a Workers bundle has it. */
async function runWorkerd(binary, baseUrl, tag) {
  const dir = mkdtempSync(join(tmpdir(), "komoju-workerd-"));
  try {
    const modules = {
      "worker.mjs": join(here, "worker.mjs"),
      "smoke.mjs": join(here, "smoke.mjs"),
      "komoju-ts": join(root, "dist", "esm", "src", "index.js"),
    };
    for (const [name, file] of Object.entries(modules)) copyFileSync(file, join(dir, name));
    const port = await freePort();
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "smoke", worker = .smokeWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "smoke")],
);
const smokeWorker :Workerd.Worker = (
  modules = [
${Object.keys(modules)
  .map((name) => `    (name = "${name}", esModule = embed "${name}"),`)
  .join("\n")}
  ],
  compatibilityDate = "2025-01-28",
  globalOutbound = "loopback",
);
`,
    );
    const child = spawn(binary, ["serve", join(dir, "config.capnp")], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, ...quiet },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    try {
      const deadline = Date.now() + 30_000;
      const url = `http://127.0.0.1:${port}/?base=${encodeURIComponent(baseUrl)}&tag=${tag}`;
      for (;;) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
          if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
          return await response.json();
        } catch (error) {
          if (error.cause?.code !== "ECONNREFUSED" || Date.now() > deadline || child.exitCode !== null)
            throw new Error(`${error.message}\n${stderr}`);
          await new Promise((wait) => setTimeout(wait, 100));
        }
      }
    } finally {
      child.kill("SIGKILL");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOne(name, binary, baseUrl) {
  if (name === "workerd") return runWorkerd(binary, baseUrl, name);
  const entry = join(here, "entry.mjs");
  const args =
    name === "deno"
      ? ["run", "--allow-net=127.0.0.1", "--allow-read", "--no-lock", entry, baseUrl, name]
      : [entry, baseUrl, name];
  const result = await exec(binary, args);
  if (result.code !== 0)
    throw new Error(`exited with ${result.signal ?? result.code}:\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1));
}

const started = performance.now();
execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { cwd: root, stdio: "inherit" });
const binaries = Object.fromEntries(
  await Promise.all(Object.entries(runtimes).map(async ([name, pin]) => [name, await install(name, pin)])),
);
const server = await startServer();
const rows = [];
try {
  await Promise.all(
    Object.keys(runtimes).map(async (name) => {
      const begin = performance.now();
      const { package: pkg, version: pinned } = runtimes[name];
      const version = `${pkg}@${pinned}`;
      const reported = (await exec(binaries[name], ["--version"])).stdout.trim().split("\n")[0];
      let results;
      try {
        results = await runOne(name, binaries[name], server.url);
      } catch (error) {
        results = [{ name: "run", ok: false, detail: error.message }];
      }
      // A runtime that reports fewer checks than it owes (none at all, or one skipped
      // because a global is missing) fails, rather than passing 0 of 0.
      const owed = runtimes[name].checks;
      if (results.length !== owed)
        results.push({ name: "check count", ok: false, detail: `expected ${owed} checks, got ${results.length}` });
      rows.push({ runtime: name, version, reported, results, ms: Math.round(performance.now() - begin) });
    }),
  );
} finally {
  await server.close();
}

rows.sort((a, b) => Object.keys(runtimes).indexOf(a.runtime) - Object.keys(runtimes).indexOf(b.runtime));
mkdirSync(join(root, "test-results"), { recursive: true });
writeFileSync(join(root, "test-results", "runtimes.json"), `${JSON.stringify(rows, null, 2)}\n`);
for (const { runtime, version, results, ms } of rows) {
  const passed = results.filter((result) => result.ok).length;
  console.log(
    `${passed === results.length ? "✓" : "✗"} ${runtime.padEnd(8)} ${version.padEnd(22)} ${passed}/${results.length} checks  ${(ms / 1000).toFixed(1)} s`,
  );
  for (const result of results.filter((r) => !r.ok)) console.log(`    ✗ ${result.name}: ${result.detail}`);
}
const failed = rows.filter(({ results }) => results.some((result) => !result.ok)).length;
const checks = rows.flatMap(({ results }) => results);
console.log(
  `\n${checks.filter((c) => c.ok).length} of ${checks.length} checks passed in ${((performance.now() - started) / 1000).toFixed(1)} s; details in ${resolve(root, "test-results", "runtimes.json")}.`,
);
console.log(`Runtimes: ${rows.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
