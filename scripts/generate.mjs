// Regenerates everything in generated/ from openapi/: the bundled spec (one
// self-contained file for tools that cannot follow split $refs), and from that bundle
// the TypeScript types (openapi-typescript) and the client's resource layer
// (scripts/resources.mjs).
// With --check it writes nothing and exits 1 when a committed file is out of date,
// so a spec edit without `npm run generate` fails `npm test`.
//
// Everything runs in this process. openapi-typescript is loaded through require():
// imported as ESM, its `import ts from "typescript"` makes Node scan the 9 MB CommonJS
// typescript.js for its exports, about 0.7 s of CPU. The spec is bundled with the
// Redocly core openapi-typescript loads anyway (1.x, with redocly.yaml) rather than by
// a `redocly bundle` process (CLI 2.x), which cost about 0.7 s more CPU; both write the
// same bytes, checked on every spec in the history and on a name clash the bundler
// resolves by renaming.
// The npm scripts run it under `node --no-opt`, as scripts/redocly.mjs runs Redocly: over
// in under two seconds, it uses 0.8 s less CPU without V8's optimizing compiler.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { emit } from "./resources.mjs";

const check = process.argv.includes("--check");
const ROOT = "openapi/openapi.yaml";
// openapi-typescript's config, read with its Redocly core as its CLI reads it.
const CODEGEN_CONFIG = "openapi/codegen.redocly.yaml";

const require = createRequire(import.meta.url);
const { default: openapiTS, astToString, COMMENT_HEADER } = require("openapi-typescript");
const redoclyCore = createRequire(require.resolve("openapi-typescript"))("@redocly/openapi-core");

/** generated/openapi.{yaml,json}, as `redocly bundle` writes them; exits 1 when the spec does not bundle. */
async function bundleSpec() {
  const config = await redoclyCore.loadConfig({ configPath: "redocly.yaml" });
  const api = Object.keys(config.apis).find((name) => resolve(config.apis[name].root) === resolve(ROOT));
  const { bundle, problems } = await redoclyCore.bundle({
    ref: ROOT,
    config: redoclyCore.getMergedConfig(config, api),
  });
  const totals = redoclyCore.getTotals(problems);
  if (problems.length > 0) redoclyCore.formatProblems(problems, { format: "codeframe", totals });
  if (totals.errors > 0) {
    console.error(
      `${ROOT} does not bundle (${totals.errors} error${totals.errors === 1 ? "" : "s"} above); generated/ is unchanged.`,
    );
    process.exit(1);
  }
  return {
    "generated/openapi.yaml": redoclyCore.stringifyYaml(bundle.parsed, { noRefs: true, lineWidth: -1 }),
    "generated/openapi.json": JSON.stringify(bundle.parsed, null, 2),
  };
}

const files = await bundleSpec();
const bundle = files["generated/openapi.json"];

const codegen = await redoclyCore.loadConfig({ configPath: CODEGEN_CONFIG });
const [api] = Object.values(codegen.apis);
const typesFile = relative(".", resolve(dirname(CODEGEN_CONFIG), api["x-openapi-ts"].output));
// --default-non-nullable=false keeps fields with a `default` optional in the types:
// KOMOJU fills in the default, so a caller need not send it.
files[typesFile] =
  `${COMMENT_HEADER}${astToString(await openapiTS(bundle, { redocly: codegen, defaultNonNullable: false }))}`;

Object.assign(files, emit(JSON.parse(bundle)));
const stale = [];
for (const [target, text] of Object.entries(files)) {
  if (!check) writeFileSync(target, text);
  else if (!existsSync(target) || readFileSync(target, "utf8") !== text) stale.push(target);
}

if (stale.length > 0) {
  console.error(`Out of date: ${stale.join(", ")}. The spec changed; run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
console.log(check ? "generated/ is up to date with openapi/." : "Regenerated generated/ from openapi/.");
