// Checks the package as npm would publish it: packs it once (without running
// `prepare`: dist/ is already built) and runs publint (strict) and arethetypeswrong
// (every resolution mode) on that tarball. Both run in this process, through the
// libraries their CLIs call: the CLIs cost two more Node start-ups, and attw's loads
// its table renderer (marked, highlight.js) even when there is nothing to show, so the
// table is rendered only for problems.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

// Colors only on a terminal; attw's table renderer reads FORCE_COLOR, as its CLI sets it.
const color = Boolean(process.stdout.isTTY) && !("NO_COLOR" in process.env);
if (!color) process.env.FORCE_COLOR = "0";
// The data files and package.json are entry points, but not modules to type.
const excludeEntrypoints = ["./openapi.json", "./openapi.yaml", "./package.json"];
// attw's checks live in @arethetypeswrong/core, the copy the CLI (the devDependency) runs.
const attwCli = createRequire(import.meta.url).resolve("@arethetypeswrong/cli/package.json");
const attwCore = pathToFileURL(createRequire(attwCli).resolve("@arethetypeswrong/core")).href;

const dir = mkdtempSync(join(tmpdir(), "komoju-pack-"));
// npm test stops this step with SIGTERM when another fails: leave no tarball behind.
process.once("SIGTERM", () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(143);
});

try {
  const [{ filename }] = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { encoding: "utf8" }),
  );
  const tarball = readFileSync(join(dir, filename));
  const problems = [];

  // Strict: warnings are errors.
  const { messages, pkg } = await publint({
    pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    strict: true,
  });
  for (const message of messages) {
    const line = `publint ${message.type}: ${formatMessage(message, pkg, { color })}`;
    if (message.type === "error") problems.push(line);
    else console.log(line);
  }
  if (messages.length === 0) console.log(`publint: ${filename} is all good (strict).`);

  const { checkPackage, createPackageFromTarballData } = await import(attwCore);
  const analysis = await checkPackage(createPackageFromTarballData(new Uint8Array(tarball)), { excludeEntrypoints });
  const entrypoints = Object.keys(analysis.entrypoints);
  if (!analysis.types) problems.push("arethetypeswrong: the package has no types.");
  else if (analysis.problems.length > 0) {
    const { typed } = await import("@arethetypeswrong/cli/internal/render");
    problems.push(await typed(analysis, {}));
  } else
    console.log(
      `arethetypeswrong: no problems in ${entrypoints.join(", ")} under node10, node16 (from CJS), node16 (from ESM) and bundler resolution.`,
    );

  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
