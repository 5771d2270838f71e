// `npm test`: the checks of the spec, the code and the docs (the slow installs and
// process tests are `npm run test:integration`), side by side where they do not depend
// on each other, stopping everything at the first failure. vitest runs at normal
// priority and the other steps niced, so on a 2-core machine the tests go first and the
// rest fills the idle CPU. Each step's
// output is printed whole when it ends, with its time; colors only on a terminal.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { delimiter, resolve } from "node:path";

const color = Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env);
// package.json's scripts, run as npm would run them but without starting npm for each.
const { scripts } = JSON.parse(readFileSync("package.json", "utf8"));
const PATH = [resolve("node_modules", ".bin"), process.env.PATH].join(delimiter);

/** name → command, the steps it needs, and whether it runs at normal priority. */
const steps = {
  lint: { command: scripts.lint },
  "generate:check": { command: scripts["generate:check"] },
  typecheck: { command: scripts.typecheck },
  build: { command: `${scripts.build} --if-changed` },
  size: { command: scripts.size, needs: ["build"] },
  vitest: {
    // The integration project (installs, npm scripts as processes) is `npm run test:integration`.
    command: `vitest run --project browser --project contract --project test${color ? "" : " --no-color"}`,
    critical: true,
    // Vitest colors through a pipe too, and its workers read the environment, not argv.
    env: color ? {} : { NO_COLOR: "1" },
  },
};

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const started = performance.now();
const seconds = (from) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
const running = new Map();
const done = new Set();
let failed = false;

function start(name) {
  const { command, env, critical } = steps[name];
  const begin = performance.now();
  const child = spawn(command, {
    shell: true,
    env: { ...process.env, PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a failure elsewhere stops it and all it started.
    detached: true,
  });
  if (!critical) setPriority(child.pid, 10);
  running.set(name, child);
  process.stdout.write(`── ${name} started\n`);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  child.on("close", (code, signal) => {
    running.delete(name);
    if (failed) return;
    const text = (color ? output : output.replace(ANSI, "")).trimEnd();
    const ok = code === 0;
    process.stdout.write(
      `\n── ${ok ? "✓" : "✗"} ${name} (${seconds(begin)}) ${"─".repeat(40)}\n${text ? `${text}\n` : ""}`,
    );
    if (!ok) return fail(`${name} failed (${signal ?? `exit code ${code}`}).`);
    done.add(name);
    schedule();
  });
}

function schedule() {
  for (const [name, { needs = [] }] of Object.entries(steps)) {
    if (!done.has(name) && !running.has(name) && needs.every((need) => done.has(need))) start(name);
  }
  if (done.size === Object.keys(steps).length)
    console.log(`\nnpm test: all ${done.size} steps passed in ${seconds(started)}.`);
}

function fail(message) {
  failed = true;
  for (const child of running.values()) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  }
  console.error(`\nnpm test: ${message} Stopped the other steps after ${seconds(started)}.`);
  process.exitCode = 1;
}

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => fail(`interrupted by ${signal}.`));
schedule();
