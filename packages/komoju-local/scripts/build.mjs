// Builds komoju-local: its command (dist/bin.js) and its testing API (dist/index.js, and
// dist/index.cjs for CommonJS suites such as Jest's), each one bundle of the source with
// the shared spec reader (scripts/lib/openapi.ts) inside; the runtime dependencies (Prism,
// Ajv, qs, komoju-ts) stay imports. Beside them what it reads at run time: the bundled spec
// (generated/openapi.json, which Prism reads too) and the API docs page (docs/index.html,
// built here if missing). Type declarations from tsc, for ESM and CommonJS.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL("..", import.meta.url));
const root = join(here, "../..");
const dist = join(here, "dist");
const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
process.chdir(here);
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);

// files.ts points at the repository's generated/ and docs/; the package's copies sit beside the bundle.
const besideTheBundle = {
  name: "files-beside-the-bundle",
  setup(builder) {
    builder.onResolve({ filter: /\/files\.js$/ }, () => ({ path: "files", namespace: "komoju-local" }));
    builder.onLoad({ filter: /.*/, namespace: "komoju-local" }, () => ({
      contents: `export const BUNDLED_SPEC_FILE = new URL("./openapi.json", import.meta.url);
export const DOCS_FILE = new URL("./docs.html", import.meta.url);`,
      loader: "js",
    }));
  },
};
const common = {
  bundle: true,
  platform: "node",
  target: "node18",
  packages: "external",
  plugins: [besideTheBundle],
  define: { KOMOJU_LOCAL_VERSION: JSON.stringify(version) },
  absWorkingDir: here,
  logLevel: "warning",
};
await build({
  ...common,
  entryPoints: { bin: join(here, "src/bin.ts"), index: join(here, "src/index.ts") },
  outdir: dist,
  format: "esm",
  splitting: true,
  chunkNames: "[name]-[hash]",
});
// CommonJS has no import.meta: its URL comes from __filename.
await build({
  ...common,
  entryPoints: [join(here, "src/index.ts")],
  outfile: join(dist, "index.cjs"),
  format: "cjs",
  define: { ...common.define, "import.meta.url": "__komojuLocalUrl" },
  banner: { js: 'const __komojuLocalUrl = require("node:url").pathToFileURL(__filename).href;' },
});

copyFileSync(join(root, "generated/openapi.json"), join(dist, "openapi.json"));
if (!existsSync(join(root, "docs/index.html")))
  execFileSync(process.execPath, [join(root, "scripts/build-docs.mjs")], { cwd: root, stdio: "inherit" });
copyFileSync(join(root, "docs/index.html"), join(dist, "docs.html"));

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { stdio: "inherit" });
// The same declarations read as CommonJS for require() (a folder of its own marked so).
cpSync(join(dist, "types"), join(dist, "types-cjs"), { recursive: true });
writeFileSync(join(dist, "types-cjs/package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
const entry = "packages/komoju-local/src/index.js";
writeFileSync(join(dist, "index.d.ts"), `export * from "./types/${entry}";\n`);
writeFileSync(join(dist, "index.d.cts"), `export * from "./types-cjs/${entry}";\n`);
console.log(
  `Built komoju-local ${version}: dist/bin.js, dist/index.js, dist/index.cjs, declarations, the spec and the docs.`,
);
