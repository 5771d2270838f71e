// Builds the published package: one ESM file and one CommonJS file, each beside its
// type declarations. One file instead of a module per source file halves the time to
// import the package in a fresh process (bench/: cold start), which serverless users
// pay on every cold start. openapi-fetch stays external: it is a dependency, and a
// user's bundler can share it. dist/cjs gets its own package.json so Node and
// TypeScript read those files as CommonJS although the package is "type": "module".
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

// In a "type": "module" package esbuild reads `import createClient from "openapi-fetch"`
// as Node would, as the whole CommonJS exports object; openapi-fetch's CommonJS build
// keeps createClient on `exports.default`, so the CommonJS bundle takes it from there.
const openapiFetchForCommonJs = {
  name: "openapi-fetch-for-commonjs",
  setup(build) {
    build.onResolve({ filter: /^openapi-fetch$/ }, ({ kind }) =>
      kind === "require-call" ? { path: "openapi-fetch", external: true } : { path: "openapi-fetch", namespace: "openapi-fetch-default" },
    );
    build.onLoad({ filter: /.*/, namespace: "openapi-fetch-default" }, () => ({ contents: 'module.exports = require("openapi-fetch").default;', loader: "js" }));
  },
};

rmSync("dist", { recursive: true, force: true });
const tsc = join("node_modules", ".bin", "tsc");
execFileSync(tsc, ["-p", "tsconfig.build.json"], { stdio: "inherit" });
execFileSync(tsc, ["-p", "tsconfig.build-cjs.json"], { stdio: "inherit" });
for (const [format, dir, plugins] of [["esm", "dist/esm", []], ["cjs", "dist/cjs", [openapiFetchForCommonJs]]]) {
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
console.log("Built dist/esm and dist/cjs: one JavaScript file each, with type declarations.");
