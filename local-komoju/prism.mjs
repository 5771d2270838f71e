// Starts Prism (`mock` or `proxy`) as a child that cannot outlive this process (see
// prism-guard.cjs) and resolves once it listens, or rejects with one readable line.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const PRISM_CLI = require.resolve("@stoplight/prism-cli/dist/index.js");
const GUARD = fileURLToPath(new URL("./prism-guard.cjs", import.meta.url));

/**
 * Spawns Prism with its stdin as the lifeline pipe; `args` are Prism's CLI arguments.
 * `quiet`: only warnings and errors, no per-request log, for callers that log requests
 * themselves: Prism spends about a millisecond a request formatting its log.
 */
export function spawnPrism(args, { quiet = false } = {}) {
  // One process: the forked (multiprocess) server would not carry the guard's pipe.
  return spawn(process.execPath, ["--require", GUARD, PRISM_CLI, ...args, "--multiprocess=false", ...(quiet ? ["--verboseLevel", "warn"] : [])], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, KOMOJU_PRISM_GUARD: "1", NO_COLOR: "1", FORCE_COLOR: "0", ...(quiet && { KOMOJU_PRISM_ANNOUNCE: "1" }) },
  });
}

/** Why Prism stopped, in one line, from its output (it prints its whole help text on errors). */
export function prismFailure(output) {
  const busy = /EADDRINUSE[^\n]*?(\d+\.\d+\.\d+\.\d+:\d+|:\d+)/.exec(output);
  if (busy) return `address in use (${busy[1]})`;
  const line = output.split("\n").map((l) => l.trim()).find((l) => /error|Error:/.test(l) && !/^\s*at /.test(l));
  return line ?? output.trim().split("\n").at(-1) ?? "no output";
}

/**
 * Runs Prism and resolves with its URL and a stop function. Its log is drained (kept
 * short, for failure messages) so a full pipe never blocks it.
 */
export function startPrism(args, { timeoutMs = 30_000, quiet = false } = {}) {
  const child = spawnPrism(args, { quiet });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`Prism did not start within ${timeoutMs} ms`), timeoutMs);
    const fail = (message) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(message));
    };
    child.stderr.on("data", keep);
    child.stdout.on("data", (chunk) => {
      keep(chunk);
      const match = /Prism is listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({
        url: match[1],
        child,
        stop: () => stopChild(child),
      });
    });
    child.once("exit", (code) => fail(`Prism exited (${code}): ${prismFailure(output)}`));
  });
}

/** Closes the lifeline pipe (Prism exits on its own) and waits; kills it if it lingers. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin.end();
  });
}
