// `npm run test:git-install`: installs the package the way a user would before it is
// published, `npm install git+file://<this repository>` (HEAD), into a fresh project,
// then runs there the package test's consumer program (./consumer.mjs). npm clones
// the repository, installs its devDependencies from npm's cache and runs `prepare`, so
// this is slow: CI runs it after `npm test`, which checks the same path with the
// repository's own node_modules (test/package.test.ts).
import { deepStrictEqual } from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { consumer, expected, openapiVersion } from "./consumer.mjs";
import { npmEnv } from "./npm-env.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const project = mkdtempSync(join(tmpdir(), "komoju-git-install-"));
const started = performance.now();
try {
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // --prefer-offline: every package is in npm's cache after `npm ci`.
  execFileSync(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-update-notifier", `git+file://${root}`],
    { cwd: project, env: npmEnv(), stdio: ["ignore", "ignore", "inherit"] },
  );
  const report = JSON.parse(
    execFileSync(process.execPath, ["--input-type=module", "-e", consumer], { cwd: project, encoding: "utf8" }),
  );
  const { openapi, ...rest } = report;
  if (!openapiVersion.test(openapi))
    throw new Error(`Unexpected imports from the git install: ${JSON.stringify(report)}`);
  deepStrictEqual(rest, expected, `Unexpected imports from the git install: ${JSON.stringify(report)}`);
  console.log(
    `Installed from git+file://${root} and imported as ESM and CommonJS in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
