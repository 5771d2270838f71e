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

/** Every object inside the spec's examples, depth first in document order. */
function* exampleObjects() {
  function* walk(value) {
    if (!value || typeof value !== "object") return;
    if (!Array.isArray(value)) yield value;
    for (const child of Object.values(value)) yield* walk(child);
  }
  for (const entry of Object.values(spec.components.examples ?? {})) yield* walk(entry.value);
}

/** The first object in the spec's examples that `matches`, copied. */
export function findExample(matches) {
  for (const candidate of exampleObjects()) if (matches(candidate)) return structuredClone(candidate);
  return undefined;
}

/** Properties and required names of a schema, through $ref and allOf. */
function shape(schemaName) {
  const node = resolve({ $ref: `#/components/schemas/${schemaName}` });
  const parts = [node, ...(node.allOf ?? []).map(resolve)];
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/**
 * A starting point for a resource: the schema's own example, else the first object in
 * the spec's examples that has the schema's required fields and constants (a Payment
 * inside a Session example, say), cut to the fields the schema declares.
 */
export function template(schemaName) {
  // The search walks every example in the spec; the spec never changes in a process.
  if (!startingPoints.has(schemaName)) startingPoints.set(schemaName, findTemplate(schemaName));
  return structuredClone(startingPoints.get(schemaName));
}
const startingPoints = new Map();

function findTemplate(schemaName) {
  const own = spec.components.schemas?.[schemaName]?.example;
  const { properties, required } = shape(schemaName);
  const fits = (o) =>
    required.every((key) => key in o) &&
    Object.entries(properties).every(
      ([key, rule]) => resolve(rule).const === undefined || o[key] === resolve(rule).const,
    );
  const found = own && typeof own === "object" && fits(own) ? structuredClone(own) : findExample(fits);
  if (!found) throw new Error(`The spec has no example of ${schemaName} to start from`);
  return pick(schemaName, found);
}

/** The message the spec's examples give for an error code, e.g. not_found. */
export function errorMessage(code, fallback) {
  return findExample((o) => o.code === code && typeof o.message === "string")?.message ?? fallback;
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
  while (current?.$ref)
    current = current.$ref
      .split("/")
      .slice(1)
      .reduce((node, key) => node[key], spec);
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
  return (
    (template && spec.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.["application/json"]?.schema) || {}
  );
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
  const types = [
    node.type,
    ...[...(node.oneOf ?? []), ...(node.anyOf ?? [])].map((option) => resolve(option).type),
  ].flat();
  if ((types.includes("integer") || types.includes("number")) && value.trim() !== "" && !Number.isNaN(Number(value)))
    return Number(value);
  if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  return value;
}

/** Every example of a whole session in the spec (resource "session"). */
export function sessionExamples() {
  return Object.entries(spec.components.examples ?? {})
    .filter(([, entry]) => entry.value?.resource === "session")
    .map(([, entry]) => structuredClone(entry.value));
}
