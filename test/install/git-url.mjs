// `npm run test:git-install`: installs the package the way a user would before it is
// published, `npm install git+file://<this repository>` (HEAD), into a fresh project,
// then imports it there as ESM and as CommonJS. npm clones the repository, installs
// its devDependencies from npm's cache and runs `prepare`, so this takes a minute of
// CPU: CI runs it after `npm test`, which checks the same path faster with the
// repository's own node_modules (test/package.test.ts).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const project = mkdtempSync(join(tmpdir(), "komoju-git-install-"));
const started = performance.now();
try {
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // --prefer-offline: every package is in npm's cache after `npm ci`.
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier", `git+file://${root}`], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
  const consumer = `
    import { createRequire } from "node:module";
    import * as esm from "komoju-ts";
    const cjs = createRequire(import.meta.url)("komoju-ts");
    console.log(JSON.stringify([typeof esm.createKomojuClient, typeof cjs.createKomojuClient, esm.KomojuError !== cjs.KomojuError]));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", consumer], { cwd: project, encoding: "utf8" }).trim();
  if (out !== JSON.stringify(["function", "function", true])) throw new Error(`Unexpected imports from the git install: ${out}`);
  console.log(`Installed from git+file://${root} and imported as ESM and CommonJS in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  rmSync(project, { recursive: true, force: true });
}
