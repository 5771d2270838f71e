// The bundled spec, the only source of the simulator's shapes: every resource starts
// as a copy of one of the spec's examples and is then filled with what the caller sent.
import { readFileSync } from "node:fs";

export const SPEC_PATH = new URL("../generated/openapi.json", import.meta.url);
/**
 * What Prism loads: the source, not the bundle. Prism reads form bodies differently from
 * the bundled file (a `$ref` with a sibling `description` makes it invent an empty
 * `fraud_details`, then refuse it for lacking `customer_ip`), and from the source correctly.
 */
export const PRISM_SPEC_PATH = new URL("../openapi/openapi.yaml", import.meta.url);
const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8"));

/** A fresh copy of `components.examples[name].value`. */
export function example(name) {
  const found = spec.components.examples?.[name]?.value;
  if (found === undefined) throw new Error(`The spec has no example named ${name}`);
  return structuredClone(found);
}

/** A fresh copy of `components.schemas[name].example`. */
export function schemaExample(name) {
  const found = spec.components.schemas?.[name]?.example;
  if (found === undefined) throw new Error(`The spec's schema ${name} has no example`);
  return structuredClone(found);
}

/** Keeps the fields of `value` that the schema declares, so an echo never adds a field the spec lacks. */
export function pick(schemaName, value) {
  const properties = spec.components.schemas?.[schemaName]?.properties ?? {};
  return Object.fromEntries(Object.entries(value ?? {}).filter(([key]) => key in properties));
}

/** The enum of a string schema, e.g. the payment types a request may name. */
export function enumOf(schemaName) {
  return spec.components.schemas?.[schemaName]?.enum ?? [];
}

export function resolve(schema) {
  let current = schema;
  while (current?.$ref) current = current.$ref.split("/").slice(1).reduce((node, key) => node[key], spec);
  return current ?? {};
}

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/** Whether the spec describes this method on this concrete path. */
export function hasOperation(pathname, method) {
  return templates.some((t) => t.pattern.test(pathname) && spec.paths[t.template]?.[method.toLowerCase()]);
}

/** The schema of the JSON request body of the operation at a concrete path, e.g. ("/api/v1/sessions/abc/pay", "post"). */
export function requestSchema(pathname, method) {
  const template = templates.find((t) => t.pattern.test(pathname))?.template;
  return (template && spec.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.["application/json"]?.schema) || {};
}

/**
 * Form values arrive as strings; Prism has checked them against the schema already, so
 * this only turns them into the types the schema says (integers, booleans), walking
 * $ref, allOf and the oneOf branch whose `type` matches.
 */
export function coerce(value, schema) {
  const node = resolve(schema);
  if (Array.isArray(value)) return value.map((item) => coerce(item, node.items));
  if (value && typeof value === "object") {
    const branches = [node, ...(node.allOf ?? []).map(resolve)];
    const branch = (node.oneOf ?? []).map(resolve).find((option) => {
      const type = resolve(option.properties?.type);
      return type.const === value.type || type.enum?.includes(value.type);
    });
    if (branch) branches.push(branch);
    const properties = Object.assign({}, ...branches.map((b) => b.properties ?? {}));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerce(item, properties[key])]));
  }
  if (typeof value !== "string") return value;
  const types = [node.type, ...[...(node.oneOf ?? []), ...(node.anyOf ?? [])].map((option) => resolve(option).type)].flat();
  if ((types.includes("integer") || types.includes("number")) && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Every example of a whole session in the spec (resource "session"), by example name. */
export function sessionExamples() {
  return Object.entries(spec.components.examples ?? {})
    .filter(([, entry]) => entry.value?.resource === "session")
    .map(([name]) => example(name));
}
