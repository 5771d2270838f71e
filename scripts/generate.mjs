// Regenerates everything in generated/ from openapi/: the TypeScript types, the bundled
// spec (one self-contained file for tools that cannot follow split $refs), and from that
// bundle the client's resource layer (scripts/resources.mjs).
// With --check it writes nothing and exits 1 when a committed file is out of date,
// so a spec edit without `npm run generate` fails `npm test`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emit } from "./resources.mjs";

const check = process.argv.includes("--check");
const bin = (name) => join("node_modules", ".bin", name);
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
const run = (cmd, args) => execFileSync(bin(cmd), args, { env, stdio: ["ignore", "pipe", "pipe"] });

const tmp = mkdtempSync(join(tmpdir(), "komoju-generate-"));
const stale = [];
try {
  try {
    // --default-non-nullable=false keeps fields with a `default` optional in the types:
    // KOMOJU fills in the default, so a caller need not send it.
    run("openapi-typescript", [
      "--redocly", "openapi/codegen.redocly.yaml",
      "--default-non-nullable=false",
      ...(check ? ["--check"] : []),
    ]);
  } catch (error) {
    if (!check) throw error;
    stale.push("generated/komoju-api.ts");
  }
  const files = {};
  for (const ext of ["yaml", "json"]) {
    const fresh = join(tmp, `openapi.${ext}`);
    run("redocly", ["bundle", "openapi/openapi.yaml", "-o", fresh]);
    files[`generated/openapi.${ext}`] = readFileSync(fresh, "utf8");
  }
  Object.assign(files, emit(JSON.parse(files["generated/openapi.json"])));
  for (const [target, text] of Object.entries(files)) {
    if (!check) writeFileSync(target, text);
    else if (!existsSync(target) || readFileSync(target, "utf8") !== text) stale.push(target);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (stale.length > 0) {
  console.error(`Out of date: ${stale.join(", ")}. The spec changed; run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
console.log(check ? "generated/ is up to date with openapi/." : "Regenerated generated/ from openapi/.");
