import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deref, spec, validatorAt } from "../support/spec.js";

/**
 * Field-name facts of KOMOJU's official SDK 1.0.0 models (komoju/komoju-node-sdk
 * models/*.ts), one file per model, each naming the schema of this spec that describes
 * the same object. Facts only: the names, and which ones the SDK requires.
 */
interface SdkModel {
  file: string;
  source: string;
  schema: string;
  fields: string[];
  required: string[];
}

const folder = new URL("../fixtures/sdk-models/", import.meta.url);
const models: SdkModel[] = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(new URL(file, folder), "utf8")) }));

type Node = Record<string, unknown>;
const HTTP_METHODS = ["get", "put", "post", "delete", "patch"];
const escapePointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");
const at = (pointer: string): Node => deref<Node>({ $ref: pointer });
const schemaName = (ref: string) => ref.match(/^#\/components\/schemas\/([^/]+)$/)?.[1];

/** Every property name a schema declares, through $ref, allOf, oneOf and anyOf. */
function declaredFields(node: Node, seen = new Set<Node>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(node)) return names;
  seen.add(node);
  if (typeof node.$ref === "string") return declaredFields(at(node.$ref), seen);
  for (const name of Object.keys((node.properties as Node | undefined) ?? {})) names.add(name);
  for (const keyword of ["allOf", "oneOf", "anyOf"]) {
    for (const branch of (node[keyword] as Node[] | undefined) ?? []) {
      for (const name of declaredFields(branch, seen)) names.add(name);
    }
  }
  return names;
}

/**
 * Walks a value alongside the schema it validates against and records, for each named
 * component schema met on the way, the parts of the value it describes. In a oneOf or
 * anyOf only the branches the value actually matches are followed.
 */
function instancesOf(pointer: string, value: unknown, found: Map<string, unknown[]>, where: string) {
  if (value === null || typeof value !== "object") return;
  const node = at(pointer);
  if (typeof node.$ref === "string") {
    const name = schemaName(node.$ref);
    if (name) found.set(name, [...(found.get(name) ?? []), { where, value }]);
    return instancesOf(node.$ref, value, found, where);
  }
  for (const i of (node.allOf as Node[] | undefined)?.keys() ?? [])
    instancesOf(`${pointer}/allOf/${i}`, value, found, where);
  for (const keyword of ["oneOf", "anyOf"]) {
    (node[keyword] as Node[] | undefined)?.forEach((_, i) => {
      if (validatorAt(`${pointer}/${keyword}/${i}`)(value))
        instancesOf(`${pointer}/${keyword}/${i}`, value, found, where);
    });
  }
  if (Array.isArray(value)) {
    if (node.items)
      for (const [i, item] of value.entries()) instancesOf(`${pointer}/items`, item, found, `${where}/${i}`);
    return;
  }
  const properties = (node.properties as Node | undefined) ?? {};
  for (const [key, child] of Object.entries(value)) {
    if (key in properties) instancesOf(`${pointer}/properties/${escapePointer(key)}`, child, found, `${where}/${key}`);
  }
}

/** The default (first) example of every response of every operation, with its schema's pointer. */
function defaultResponseExamples(): { where: string; schemaPointer: string; value: unknown }[] {
  const examples: { where: string; schemaPointer: string; value: unknown }[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS.filter((m) => m in item)) {
      const responses = (item[method] as { responses: Record<string, { $ref?: string }> }).responses;
      for (const [status, response] of Object.entries(responses)) {
        const base = response.$ref ?? `#/paths/${escapePointer(path)}/${method}/responses/${status}`;
        const content = at(base).content as Record<string, { examples?: Record<string, unknown> }> | undefined;
        for (const [mediaType, media] of Object.entries(content ?? {})) {
          const [name, first] = Object.entries(media.examples ?? {})[0] ?? [];
          if (!first) continue;
          examples.push({
            where: `${method.toUpperCase()} ${path} ${status} example "${name}"`,
            schemaPointer: `${base}/content/${escapePointer(mediaType)}/schema`,
            value: deref<{ value: unknown }>(first).value,
          });
        }
      }
    }
  }
  return examples;
}

const found = new Map<string, unknown[]>();
for (const example of defaultResponseExamples())
  instancesOf(example.schemaPointer, example.value, found, example.where);

describe("SDK 1.0.0 model facts (test/fixtures/sdk-models)", () => {
  it("are well-formed, each named after the model file it records", () => {
    expect(models.length).toBeGreaterThanOrEqual(26);
    for (const model of models) {
      expect(model.source, model.file).toMatch(/^komoju\/komoju-node-sdk models\/[a-z0-9-]+\.ts @ [0-9a-f]{40}$/);
      expect(model.source, model.file).toContain(`models/${model.file.replace(/\.json$/, ".ts")} @`);
      expect(new Set(model.fields).size, model.file).toBe(model.fields.length);
      expect(model.fields, model.file).toEqual(expect.arrayContaining(model.required));
    }
  });

  it.each(models.map((m) => [m.file, m] as const))("%s: every field is declared by its schema", (_file, model) => {
    const schema = spec.components.schemas[model.schema];
    expect(schema, `schema ${model.schema}`).toBeDefined();
    const declared = declaredFields(schema!);
    expect(model.fields.filter((field) => !declared.has(field))).toEqual([]);
  });

  it.each(models.filter((m) => m.required.length > 0).map((m) => [m.file, m] as const))(
    "%s: every default response example of its schema carries every field the SDK requires",
    (_file, model) => {
      const missing = ((found.get(model.schema) ?? []) as { where: string; value: Record<string, unknown> }[]).flatMap(
        ({ where, value }) => model.required.filter((field) => !(field in value)).map((field) => `${where}: ${field}`),
      );
      expect(missing).toEqual([]);
    },
  );

  // Guards the check above against passing because it found nothing to check.
  it("finds the Sessions payloads in the default examples", () => {
    for (const schema of [
      "Session",
      "Payment",
      "SessionPayResponse",
      "CreditCardPaymentDetails",
      "PaymentMethod",
      "Merchant",
      "Error",
      "ErrorDetail",
    ]) {
      expect(found.get(schema)?.length ?? 0, schema).toBeGreaterThan(0);
    }
  });
});
