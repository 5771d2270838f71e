// Builds the published package: one ESM file and one CommonJS file, each beside its
// type declarations. One file instead of a module per source file halves the time to
// import the package in a fresh process (bench/: cold start), which serverless users
// pay on every cold start. openapi-fetch stays external: it is a dependency, and a
// user's bundler can share it. dist/cjs gets its own package.json so Node and
// TypeScript read those files as CommonJS although the package is "type": "module".
// The declarations are emitted once and copied: the sources are ES modules, so tsc
// writes the same .d.ts text for either format.
//
// `--if-changed` skips the build when dist/ was built from the same inputs: npm test
// uses it, since `npm ci` has just built dist/ through `prepare`.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

// In a "type": "module" package esbuild reads `import createClient from "openapi-fetch"`
// as Node would, as the whole CommonJS exports object; openapi-fetch's CommonJS build
// keeps createClient on `exports.default`, so the CommonJS bundle takes it from there.
const openapiFetchForCommonJs = {
  name: "openapi-fetch-for-commonjs",
  setup(build) {
    build.onResolve({ filter: /^openapi-fetch$/ }, ({ kind }) =>
      kind === "require-call"
        ? { path: "openapi-fetch", external: true }
        : { path: "openapi-fetch", namespace: "openapi-fetch-default" },
    );
    build.onLoad({ filter: /.*/, namespace: "openapi-fetch-default" }, () => ({
      contents: 'module.exports = require("openapi-fetch").default;',
      loader: "js",
    }));
  },
};

const STAMP = "dist/.inputs-sha256";
const INPUTS = [
  "src",
  "generated",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "scripts/build.mjs",
];

function inputsHash() {
  const hash = createHash("sha256");
  const files = INPUTS.filter((path) => existsSync(path)).flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => join(entry.parentPath, entry.name))
      : [path],
  );
  for (const file of files.sort()) hash.update(`${file}\0`).update(readFileSync(file));
  return hash.digest("hex");
}

const inputs = inputsHash();
const built = [
  "dist/esm/src/index.js",
  "dist/cjs/src/index.js",
  "dist/esm/src/index.d.ts",
  "dist/cjs/src/index.d.ts",
].every((file) => existsSync(file));
if (process.argv.includes("--if-changed") && built && existsSync(STAMP) && readFileSync(STAMP, "utf8") === inputs) {
  console.log("dist/ is up to date with its inputs: not rebuilt.");
  process.exit(0);
}

rmSync("dist", { recursive: true, force: true });
// TypeScript 5.9's tsc by path: node_modules/.bin/tsc may be TypeScript 7's (typescript-native).
execFileSync(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
cpSync("dist/esm", "dist/cjs", { recursive: true });
for (const [format, dir, plugins] of [
  ["esm", "dist/esm", []],
  ["cjs", "dist/cjs", [openapiFetchForCommonJs]],
]) {
  await build({
    plugins,
    entryPoints: ["src/index.ts"],
    outfile: `${dir}/src/index.js`,
    bundle: true,
    external: ["openapi-fetch"],
    format,
    platform: "neutral",
    target: "es2022",
    logLevel: "warning",
  });
}
writeFileSync("dist/cjs/package.json", `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
writeFileSync(STAMP, inputs);
console.log("Built dist/esm and dist/cjs: one JavaScript file each, with type declarations.");
