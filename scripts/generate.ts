// Regenerates everything in generated/ from openapi/: the bundled spec (one
// self-contained file for tools that cannot follow split $refs), and from that bundle
// the TypeScript types (openapi-typescript) and the client's code (scripts/lib/client-code.ts).
// With --check it writes nothing and exits 1 when a committed file is out of date,
// so a spec edit without `npm run generate` fails `npm test`.
//
// The spec is bundled with the Redocly core that openapi-typescript loads anyway (1.x,
// with redocly.yaml), in this process; it writes the same bytes as `redocly bundle`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { emit } from "./lib/client-code.js";
import type { OpenApiDocument } from "./lib/openapi.js";

const check = process.argv.includes("--check");
const ROOT = "openapi/openapi.yaml";
// openapi-typescript's config, read with its Redocly core as its CLI reads it.
const CODEGEN_CONFIG = "openapi/codegen.redocly.yaml";

const require = createRequire(import.meta.url);
// Loaded through require(): imported as ESM, its `import ts from "typescript"` makes Node
// scan all of the CommonJS typescript.js for its exports.
const { default: openapiTS, astToString, COMMENT_HEADER } = require("openapi-typescript");
const redoclyCore = createRequire(require.resolve("openapi-typescript"))("@redocly/openapi-core");

/** generated/openapi.{yaml,json}, as `redocly bundle` writes them; exits 1 when the spec does not bundle. */
async function bundleSpec(): Promise<Record<string, string>> {
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
const bundle = files["generated/openapi.json"]!;

const codegen = await redoclyCore.loadConfig({ configPath: CODEGEN_CONFIG });
const [api] = Object.values(codegen.apis) as { "x-openapi-ts": { output: string } }[];
const typesFile = relative(".", resolve(dirname(CODEGEN_CONFIG), api!["x-openapi-ts"].output));
// defaultNonNullable: false keeps fields with a `default` optional in the types: KOMOJU
// fills in the default, so a caller need not send it.
files[typesFile] =
  `${COMMENT_HEADER}${astToString(await openapiTS(bundle, { redocly: codegen, defaultNonNullable: false }))}`;

Object.assign(files, emit(JSON.parse(bundle) as OpenApiDocument));
const stale: string[] = [];
for (const [target, text] of Object.entries(files)) {
  if (!check) writeFileSync(target, text);
  else if (!existsSync(target) || readFileSync(target, "utf8") !== text) stale.push(target);
}

if (stale.length > 0) {
  console.error(`Out of date: ${stale.join(", ")}. The spec changed; run \`npm run generate\` and commit the result.`);
  process.exit(1);
}
console.log(check ? "generated/ is up to date with openapi/." : "Regenerated generated/ from openapi/.");
