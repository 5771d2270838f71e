// The bundled spec, the only source of the simulator's shapes and routes: every resource
// starts as a copy of one of the spec's examples and is then filled with what the caller
// sent, and a request reaches its handler through the operation the spec matches it to.
import { readFileSync } from "node:fs";
import {
  type OpenApiDocument,
  type OperationEntry,
  operations,
  resolve as resolveIn,
  type SpecNode,
  walk,
} from "../../../scripts/lib/openapi.js";
import { BUNDLED_SPEC_FILE } from "./files.js";

const spec = JSON.parse(readFileSync(BUNDLED_SPEC_FILE, "utf8")) as OpenApiDocument;
/** The bundled spec itself, for the simulator's check of its own answers (answers.ts). */
export const bundledSpec: OpenApiDocument = spec;

/**
 * What Prism loads: the bundle, less the `description`s beside a `$ref`. With one there,
 * Prism reads form bodies wrongly (it invents an empty `fraud_details`, then refuses it for
 * lacking `customer_ip`); a description is only prose, so Prism's copy goes without.
 */
export function prismSpec(): OpenApiDocument {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (!isObject(node)) return node;
    const entries = Object.entries(node).filter(([key]) => !(key === "description" && typeof node.$ref === "string"));
    return Object.fromEntries(entries.map(([key, value]) => [key, strip(value)]));
  };
  return strip(spec) as OpenApiDocument;
}

/** A schema as the simulator reads it. */
export interface Schema extends SpecNode {
  type?: string | string[];
  properties?: Record<string, SpecNode>;
  required?: string[];
  allOf?: SpecNode[];
  oneOf?: SpecNode[];
  anyOf?: SpecNode[];
  items?: SpecNode;
  const?: unknown;
  enum?: unknown[];
  example?: unknown;
}

/** An object of the spec's examples, or a resource made from one. */
export type Example = Record<string, unknown>;

const isObject = (value: unknown): value is Example =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** `node` with its `$ref`s followed; an absent node reads as the empty schema. */
export function resolve(node: unknown): Schema {
  return (node === undefined || node === null ? undefined : resolveIn<Schema>(spec, node)) ?? {};
}

/** Every object inside the spec's examples, depth first in document order. */
function* exampleObjects(): Generator<Example> {
  for (const entry of Object.values(spec.components.examples ?? {}))
    for (const { node } of walk(entry.value)) if (isObject(node)) yield node;
}

/** The first object in the spec's examples that `matches`, copied. */
export function findExample(matches: (candidate: Example) => boolean): Example | undefined {
  for (const candidate of exampleObjects()) if (matches(candidate)) return structuredClone(candidate);
  return undefined;
}

/** Properties and required names of a schema, through $ref and allOf. */
export function merged(node: Schema): { properties: Record<string, SpecNode>; required: string[] } {
  const parts = [node, ...(node.allOf ?? []).map(resolve)];
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

const startingPoints = new Map<string, Example>();

/**
 * A starting point for a resource: the schema's own example, else the first object in
 * the spec's examples that has the schema's required fields and constants (a Payment
 * inside a Session example, say), cut to the fields the schema declares.
 */
export function template<T extends object = Example>(schemaName: string): T {
  // The search walks every example in the spec; the spec never changes in a process.
  let found = startingPoints.get(schemaName);
  if (!found) {
    found = findTemplate(schemaName);
    startingPoints.set(schemaName, found);
  }
  return structuredClone(found) as T;
}

function findTemplate(schemaName: string): Example {
  const own = resolve(spec.components.schemas[schemaName]).example;
  const { properties, required } = merged(resolve({ $ref: `#/components/schemas/${schemaName}` }));
  const fits = (o: Example) =>
    required.every((key) => key in o) &&
    Object.entries(properties).every(
      ([key, rule]) => resolve(rule).const === undefined || o[key] === resolve(rule).const,
    );
  const found = isObject(own) && fits(own) ? structuredClone(own) : findExample(fits);
  if (!found) throw new Error(`The spec has no example of ${schemaName} to start from`);
  return pick(schemaName, found);
}

/** The message the spec's examples give for an error code, e.g. not_found. */
export function errorMessage(code: string, fallback: string): string {
  const found = findExample((o) => o.code === code && typeof o.message === "string");
  return typeof found?.message === "string" ? found.message : fallback;
}

/** Keeps the fields of `value` that the schema declares, so an echo never adds a field the spec lacks. */
export function pick<T extends object = Example>(schemaName: string, value: object | null | undefined): T {
  const properties = resolve(spec.components.schemas[schemaName]).properties ?? {};
  return Object.fromEntries(Object.entries(value ?? {}).filter(([key]) => Object.hasOwn(properties, key))) as T;
}

/** The enum of a string schema, e.g. the payment types a request may name. */
export function enumOf(schemaName: string): string[] {
  return (resolve(spec.components.schemas[schemaName]).enum ?? []).map(String);
}

/** The operation a request is for, as the spec matches it, with its path parameters. */
export interface MatchedOperation {
  operationId: string;
  entry: OperationEntry;
  params: Record<string, string>;
}

const routes = [...operations(spec)].map((entry) => ({
  entry,
  pattern: new RegExp(`^${entry.path.replace(/\{([^}]+)\}/g, "(?<$1>[^/]+)")}$`),
}));

/** The operation of this method on this concrete path (`POST`, `/api/v1/payments/abc/capture`), if the spec has one. */
export function matchOperation(method: string, pathname: string): MatchedOperation | undefined {
  const verb = method.toLowerCase();
  for (const { entry, pattern } of routes) {
    const found = entry.method === verb ? pattern.exec(pathname) : null;
    if (found && entry.operation.operationId)
      return { operationId: entry.operation.operationId, entry, params: { ...found.groups } };
  }
  return undefined;
}

/** The schema of the JSON request body of the operation, e.g. ("POST", "/api/v1/sessions/abc/pay"). */
export function requestSchema(method: string, pathname: string): Schema {
  const body = resolve(matchOperation(method, pathname)?.entry.operation.requestBody) as {
    content?: Record<string, { schema?: SpecNode }>;
  };
  return body.content?.["application/json"]?.schema ?? {};
}

/** The oneOf branch of `node` whose `type` names the value's, if any. */
function typedBranch(node: Schema, value: Example): Schema | undefined {
  return (node.oneOf ?? []).map(resolve).find((option) => {
    const type = resolve(option.properties?.type);
    return type.const === value.type || type.enum?.includes(value.type);
  });
}

/**
 * Form values arrive as strings; Prism has checked them against the schema already, so
 * this only turns them into the types the schema says (integers, booleans), walking
 * $ref, allOf and the oneOf branch whose `type` matches.
 */
export function coerce(value: unknown, schema: unknown): unknown {
  const node = resolve(schema);
  if (Array.isArray(value)) return value.map((item) => coerce(item, node.items));
  if (isObject(value)) {
    const branch = typedBranch(node, value);
    const properties = { ...merged(node).properties, ...branch?.properties };
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
export function sessionExamples(): Example[] {
  return Object.values(spec.components.examples ?? {})
    .map((entry) => (entry as { value?: unknown }).value)
    .filter((value): value is Example => isObject(value) && value.resource === "session")
    .map((value) => structuredClone(value));
}
