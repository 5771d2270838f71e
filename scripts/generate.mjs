// Regenerates everything in generated/ from openapi/: the bundled spec (one
// self-contained file for tools that cannot follow split $refs), and from that bundle
// the TypeScript types (openapi-typescript) and the client's resource layer
// (scripts/resources.mjs).
// With --check it writes nothing and exits 1 when a committed file is out of date,
// so a spec edit without `npm run generate` fails `npm test`.
// openapi-typescript runs in this process on the bundle rather than as its CLI on the
// split files, which would start another process and bundle the spec a second time.
// It is loaded through require(): imported as ESM, its `import ts from "typescript"` makes
// Node scan the 9 MB CommonJS typescript.js for its exports, about 0.7 s of CPU.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { emit } from "./resources.mjs";

const check = process.argv.includes("--check");
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
const redocly = (args) => execFileSync(join("node_modules", ".bin", "redocly"), args, { env, stdio: ["ignore", "pipe", "pipe"] });

const require = createRequire(import.meta.url);
const { default: openapiTS, astToString, COMMENT_HEADER } = require("openapi-typescript");
// openapi-typescript's config, read with the Redocly core it bundles (v1), as its CLI reads it.
const CODEGEN_CONFIG = "openapi/codegen.redocly.yaml";
const ROOT = "openapi/openapi.yaml";
const { loadConfig } = createRequire(require.resolve("openapi-typescript"))("@redocly/openapi-core");

const tmp = mkdtempSync(join(tmpdir(), "komoju-generate-"));
const stale = [];
try {
  // Both bundles come from one Redocly process, which reads the split spec once: the
  // repository's config (paths made absolute) with the spec listed as two APIs, one per
  // output file. Two `redocly bundle` runs cost about 0.8 s more CPU.
  const config = parse(readFileSync("redocly.yaml", "utf8"));
  const absolute = (path) => (path.startsWith(".") ? resolve(path) : path);
  const root = resolve(ROOT);
  const settings = Object.values(config.apis ?? {}).find((entry) => resolve(entry.root) === root) ?? {};
  const outputs = Object.fromEntries(["yaml", "json"].map((ext) => [ext, { ...settings, root, output: join(tmp, `openapi.${ext}`) }]));
  const bundleConfig = join(tmp, "redocly.yaml");
  writeFileSync(bundleConfig, JSON.stringify({ ...config, extends: config.extends?.map(absolute), plugins: config.plugins?.map(absolute), apis: outputs }));
  redocly(["bundle", "--config", bundleConfig]);
  const files = {};
  for (const [ext, { output }] of Object.entries(outputs)) files[`generated/openapi.${ext}`] = readFileSync(output, "utf8");
  const bundle = files["generated/openapi.json"];

  const codegen = await loadConfig({ configPath: CODEGEN_CONFIG });
  const [api] = Object.values(codegen.apis);
  const typesFile = relative(".", resolve(dirname(CODEGEN_CONFIG), api["x-openapi-ts"].output));
  // --default-non-nullable=false keeps fields with a `default` optional in the types:
  // KOMOJU fills in the default, so a caller need not send it.
  files[typesFile] = `${COMMENT_HEADER}${astToString(await openapiTS(bundle, { redocly: codegen, defaultNonNullable: false }))}`;

  Object.assign(files, emit(JSON.parse(bundle)));
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
