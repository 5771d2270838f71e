// `npm run bench -- --baseline <ref>` (or BENCH_BASELINE=<ref>): the client as it was at a
// git ref, built beside the current one so that one run measures both under the same
// machine load. The ref's src/, generated/, package.json and tsconfig.json (and its
// generator, for the per-operation cost) are extracted with `git archive` into a
// temporary folder outside the repository, and src/index.ts is bundled there as
// scripts/build.mjs bundles the package (esbuild, ESM, platform neutral, ES2022) into
// the same place, dist/esm/src/index.js. The folder's node_modules is a link to the
// repository's. `remove()` deletes the folder.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const repo = fileURLToPath(new URL("..", import.meta.url));
// The generator of the client's route table, wherever the ref keeps it (with its imports).
const GENERATORS = ["scripts/lib/client-code.ts", "scripts/resources.mjs"];
const GENERATOR_FILES = ["scripts/lib", "scripts/resources.mjs"];

/** The ref given by `--baseline <ref>`, `--baseline=<ref>` or BENCH_BASELINE, if any. */
export function baselineRef(argv = process.argv.slice(2), env = process.env) {
  const at = argv.indexOf("--baseline");
  if (at !== -1) return argv[at + 1] ?? "";
  const inline = argv.find((arg) => arg.startsWith("--baseline="));
  return inline ? inline.slice("--baseline=".length) : env.BENCH_BASELINE || undefined;
}

/** Extracts and builds the client at `ref`; the caller must call `remove()`, also on failure. */
export async function buildBaseline(ref) {
  if (!ref || ref.startsWith("-")) throw new Error("--baseline needs a git ref, e.g. --baseline f92c34f");
  const git = (...args) => execFileSync("git", args, { cwd: repo, stdio: ["ignore", "pipe", "inherit"] });
  const commit = git("rev-parse", "--verify", `${ref}^{commit}`).toString().trim();
  const dir = mkdtempSync(join(tmpdir(), "komoju-ts-baseline-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const tracked = git("ls-tree", "--name-only", commit, "package.json", "tsconfig.json", ...GENERATOR_FILES)
      .toString()
      .split("\n")
      .filter(Boolean);
    execFileSync("tar", ["-x", "-C", dir], { input: git("archive", commit, "src", "generated", ...tracked) });
    symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"), "dir");
    const entry = join(dir, "dist/esm/src/index.js");
    await build({
      entryPoints: [join(dir, "src/index.ts")],
      outfile: entry,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      logLevel: "warning",
    });
    return {
      ref,
      commit,
      label: `komoju-ts (baseline ${ref})`,
      dir,
      entry,
      url: pathToFileURL(entry).href,
      generator: GENERATORS.map((path) => join(dir, path)).find((path) => existsSync(path)),
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}
