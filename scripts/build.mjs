// Builds the published package: ESM and CommonJS, each with its type declarations.
// dist/cjs gets its own package.json so Node and TypeScript read those files as
// CommonJS although the package itself is "type": "module".
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

rmSync("dist", { recursive: true, force: true });
const tsc = join("node_modules", ".bin", "tsc");
execFileSync(tsc, ["-p", "tsconfig.build.json"], { stdio: "inherit" });
execFileSync(tsc, ["-p", "tsconfig.build-cjs.json"], { stdio: "inherit" });
writeFileSync("dist/cjs/package.json", `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
console.log("Built dist/esm and dist/cjs.");
