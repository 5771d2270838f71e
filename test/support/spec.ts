import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";

/** The bundled spec (generated/openapi.json): one document, every $ref internal. */
export const spec = JSON.parse(
  readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"),
) as OpenApiDocument;

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  webhooks: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Record<string, unknown>> } & Record<
    string,
    Record<string, Record<string, unknown>>
  >;
}

const SPEC_ID = "https://komoju-ts.invalid/openapi.json";

/**
 * An independent JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) over the whole
 * bundled document, so `#/components/schemas/…` references resolve exactly as in the
 * spec. `example` is OpenAPI's annotation keyword; everything else must be JSON Schema.
 *
 * Compiling is most of these validators' cost, so Ajv skips the
 * passes that only make the generated code smaller (`optimize`), and the validator
 * that never changes its input compiles each `$ref`'d schema once, as a function of its
 * own, instead of again inside every schema that refers to it (`inlineRefs`). Neither
 * changes a verdict or an error. The coercing one keeps inlining: coercion writes into
 * the value, and a `$ref`'d schema's writes reach the rest of an `anyOf` differently
 * when it is a function of its own.
 */
function createAjv(coerceTypes: boolean): Ajv2020 {
  // Loaded on first use: many files import this module for `spec` alone.
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const addFormats = require("ajv-formats") as typeof import("ajv-formats");
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allErrors: true,
    allowUnionTypes: true,
    coerceTypes,
    inlineRefs: coerceTypes,
    code: { optimize: false },
  });
  addFormats.default(ajv);
  ajv.addKeyword({
    keyword: "example",
    schemaType: ["string", "number", "integer", "boolean", "object", "array", "null"],
  });
  ajv.addVocabulary(["openapi", "info", "servers", "security", "tags", "paths", "webhooks", "components"]);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  return ajv;
}

let strictAjv: Ajv2020 | undefined;
// Form values arrive as strings; like Rails, this one reads "8888" as the integer 8888.
let coercingAjv: Ajv2020 | undefined;
const cache = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer into the spec, e.g. `#/components/schemas/Session`. */
export function validatorAt(pointer: string, options: { coerceTypes?: boolean } = {}): ValidateFunction {
  const key = `${options.coerceTypes ? "coerce" : "strict"} ${pointer}`;
  let validate = cache.get(key);
  if (!validate) {
    let ajv: Ajv2020;
    if (options.coerceTypes) {
      coercingAjv ??= createAjv(true);
      ajv = coercingAjv;
    } else {
      strictAjv ??= createAjv(false);
      ajv = strictAjv;
    }
    validate = ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
    cache.set(key, validate);
  }
  return validate;
}

export const schemaValidator = (name: string, options?: { coerceTypes?: boolean }) =>
  validatorAt(`#/components/schemas/${name}`, options);

/** Validates and returns Ajv's messages, so a failing assertion shows why. */
export function violations(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

/** Follows one internal `$ref` (`#/components/...`) of the bundled spec. */
export function deref<T>(node: unknown): T {
  if (node && typeof node === "object" && "$ref" in node && typeof node.$ref === "string") {
    const parts = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    return parts.reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], spec) as T;
  }
  return node as T;
}
