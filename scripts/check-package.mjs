// Checks the package as npm would publish it: packs it once (without running
// `prepare`: dist/ is already built) and runs publint and arethetypeswrong on that
// tarball, side by side.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = (name) => join("node_modules", ".bin", name);
// Their output is read through a pipe, so color follows this script's own terminal.
const color = process.stdout.isTTY && !("NO_COLOR" in process.env) ? "--color" : "--no-color";
const dir = mkdtempSync(join(tmpdir(), "komoju-pack-"));
// npm test stops this step with SIGTERM when another fails: leave no tarball behind.
process.once("SIGTERM", () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(143);
});
const run = (command, args) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });

try {
  const [{ filename }] = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { encoding: "utf8" }));
  const tarball = join(dir, filename);
  const results = await Promise.all([
    run(bin("publint"), ["run", tarball, "--strict"]),
    run(bin("attw"), [tarball, color, "--exclude-entrypoints", "./openapi.json", "./openapi.yaml", "./package.json"]),
  ]);
  for (const { output } of results) process.stdout.write(output);
  process.exitCode = results.some(({ code }) => code !== 0) ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
