// Builds the published package: one ESM file and one CommonJS file, each beside its
// type declarations. One file instead of a module per source file halves the time to
// import the package in a fresh process (bench/: cold start), which serverless users
// pay on every cold start. dist/cjs gets its own package.json so Node and TypeScript
// read those files as CommonJS although the package is "type": "module".
// The declarations are emitted once and copied: the sources are ES modules, so tsc
// writes the same .d.ts text for either format.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
execFileSync(
  process.execPath,
  [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
  {
    stdio: "inherit",
  },
);
cpSync("dist/esm", "dist/cjs", { recursive: true });
for (const [format, dir] of [
  ["esm", "dist/esm"],
  ["cjs", "dist/cjs"],
]) {
  await build({
    entryPoints: ["src/index.ts"],
    outfile: `${dir}/src/index.js`,
    bundle: true,
    format,
    platform: "neutral",
    target: "es2022",
    logLevel: "warning",
  });
}
writeFileSync("dist/cjs/package.json", `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log("Built dist/esm and dist/cjs: one JavaScript file each, with type declarations.");
