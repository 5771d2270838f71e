// The simulator's check of its own answers, before anything is committed: the answer's
// body against the operation's response schema in the bundled spec (Ajv, JSON Schema
// 2020-12, OpenAPI 3.1's dialect), the check Prism makes after it. A handler whose
// answer the spec refuses leaves no state behind (simulation/store.ts commits a draft
// only once this passes), so Prism's 500 can never follow a changed store, and a client
// retrying it can never pile up payments.
import { createRequire } from "node:module";
import type { Ajv2020, ValidateFunction } from "ajv/dist/2020.js";
import { type OperationEntry, resolve, type SpecNode } from "../../../scripts/lib/openapi.js";
import { LocalKomojuError } from "./simulation/store.js";
import { bundledSpec } from "./spec.js";

const SPEC_ID = "https://local-komoju.invalid/openapi.json";
let ajv: Ajv2020 | undefined;
/** By operation and status; null when the answer has no JSON body to check. */
const validators = new Map<string, ValidateFunction | null>();

/** Loaded on first use, with every `$ref` resolved in the one bundled document. */
function validatorAjv(): Ajv2020 {
  if (ajv) return ajv;
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const addFormats = require("ajv-formats") as typeof import("ajv-formats");
  ajv = new Ajv2020({ strict: false, allowUnionTypes: true, inlineRefs: false, code: { optimize: false } });
  addFormats.default(ajv);
  ajv.addSchema({ ...bundledSpec, $id: SPEC_ID });
  return ajv;
}

const pointerPart = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

function validatorFor(entry: OperationEntry, status: number): ValidateFunction | null {
  const key = `${entry.method} ${entry.path} ${status}`;
  if (validators.has(key)) return validators.get(key) ?? null;
  const raw = (entry.operation.responses as Record<string, SpecNode> | undefined)?.[String(status)];
  const response = raw && resolve<{ content?: Record<string, unknown> }>(bundledSpec, raw);
  let validate: ValidateFunction | null = null;
  if (response?.content?.["application/json"]) {
    const at = raw?.$ref ?? `#/paths/${pointerPart(entry.path)}/${entry.method}/responses/${status}`;
    validate = validatorAjv().compile({ $ref: `${SPEC_ID}${at}/content/application~1json/schema` });
  }
  validators.set(key, validate);
  return validate;
}

/** Throws a 500 in KOMOJU's envelope when the spec refuses `answer` as this operation's `status`. */
export function checkAnswer(entry: OperationEntry, status: number, answer: unknown): void {
  const validate = validatorFor(entry, status);
  if (!validate || validate(answer)) return;
  const first = validate.errors?.[0];
  const where = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, ".") : "the answer";
  throw new LocalKomojuError(
    500,
    "internal_server_error",
    `The local KOMOJU's answer breaks the spec (a simulator bug), so nothing was changed: ${where} ${first?.message ?? "is invalid"}.`,
  );
}
