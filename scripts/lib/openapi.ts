// Reading the bundled spec (generated/openapi.json): the one `$ref` resolver and walker
// that the generator, the local KOMOJU and the tests share. The bundle is one document
// whose every `$ref` is internal (`#/…`), so resolving is following a JSON pointer.
import { readFileSync } from "node:fs";

/** An OpenAPI 3.1 document, typed as far as its readers need it. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  components: Record<string, Record<string, SpecNode>> & { schemas: Record<string, SpecNode> };
  [key: string]: unknown;
}

/** Any node of the document: a schema, a parameter, a response, a `$ref` to one of them, … */
export type SpecNode = Record<string, unknown> & { $ref?: string };

export type PathItem = Record<string, unknown> & { parameters?: SpecNode[] };

/** The HTTP methods an OpenAPI path item may hold, in the order OpenAPI lists them. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation and where it sits. */
export interface OperationEntry {
  /** The path template, e.g. `/api/v1/payments/{id}`. */
  path: string;
  method: HttpMethod;
  /** The path item's parameters followed by the operation's own, each resolved. */
  parameters: SpecNode[];
  operation: SpecNode & {
    operationId?: string;
    tags?: string[];
    summary?: string;
    requestBody?: SpecNode;
    responses?: Record<string, SpecNode>;
  };
}

export const BUNDLED_SPEC_URL = new URL("../../generated/openapi.json", import.meta.url);

/** The bundled spec as `npm run generate` last wrote it. */
export function loadBundledSpec(): OpenApiDocument {
  return JSON.parse(readFileSync(BUNDLED_SPEC_URL, "utf8")) as OpenApiDocument;
}

/** The node a JSON pointer (`#/components/schemas/Session`) names, or undefined. */
export function pointerTarget(document: unknown, pointer: string): unknown {
  if (!pointer.startsWith("#")) throw new Error(`Not an internal $ref: ${pointer} (read the bundled spec)`);
  const keys = pointer
    .slice(1)
    .split("/")
    .slice(1)
    .map((key) => decodeURIComponent(key).replace(/~1/g, "/").replace(/~0/g, "~"));
  let node: unknown = document;
  for (const key of keys)
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** `node` with its `$ref`s followed until a node without one; a missing target or a loop throws. */
export function resolve<T = SpecNode>(document: unknown, node: unknown): T {
  let current = node;
  const seen = new Set<string>();
  while (current !== null && typeof current === "object" && typeof (current as SpecNode).$ref === "string") {
    const ref = (current as SpecNode).$ref as string;
    if (seen.has(ref)) throw new Error(`$ref loop at ${ref}`);
    seen.add(ref);
    current = pointerTarget(document, ref);
    if (current === undefined) throw new Error(`$ref to nothing: ${ref}`);
  }
  return current as T;
}

/** The `components.schemas` name a `$ref` points at (`Session` for `#/components/schemas/Session`), if it does. */
export function schemaName(node: unknown): string | undefined {
  const ref = (node as SpecNode | undefined)?.$ref;
  return typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
}

/** Every operation of `paths` (or of another map of path items, such as `webhooks`), in the document's order. */
export function* operations(
  document: OpenApiDocument,
  items: Record<string, PathItem> = document.paths,
): Generator<OperationEntry> {
  for (const [path, item] of Object.entries(items ?? {})) {
    const shared = (item.parameters ?? []).map((p) => resolve(document, p));
    for (const method of Object.keys(item) as HttpMethod[]) {
      if (!HTTP_METHODS.includes(method)) continue;
      const operation = item[method] as OperationEntry["operation"];
      const own = ((operation.parameters as SpecNode[] | undefined) ?? []).map((p) => resolve(document, p));
      // An operation's parameter overrides the path item's of the same name and location.
      const overridden = (p: SpecNode) => own.some((o) => o.name === p.name && o.in === p.in);
      yield { path, method, operation, parameters: [...shared.filter((p) => !overridden(p)), ...own] };
    }
  }
}

/**
 * Every value inside `value`, depth first in document order, with its JSON pointer
 * (`#/paths/~1api~1v1~1sessions/post`). `$ref`s are not followed: each node is seen once.
 */
export function* walk(value: unknown, pointer = "#"): Generator<{ node: unknown; pointer: string }> {
  yield { node: value, pointer };
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    yield* walk(child, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  }
}
