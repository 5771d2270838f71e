import { describe, expect, it } from "vitest";
import { deref, spec, validatorAt, violations } from "../support/spec.js";

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { $ref?: string; value?: unknown }>;
}
interface Case {
  where: string;
  schemaPointer: string;
  value: unknown;
  exampleRef?: string;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

/** Every example the spec carries, paired with the schema it illustrates. */
function collectCases(): Case[] {
  const cases: Case[] = [];
  // Media types and headers alike: a schema with an `example` or named `examples`. A
  // header that is a `$ref` is checked once, among components.headers.
  const fromMediaTypes = (content: Record<string, MediaType> | undefined, at: string[]) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      const schemaPointer = pointer(...at, mediaType, "schema");
      if (media.example !== undefined)
        cases.push({ where: `${at.join(" ")} ${mediaType}`, schemaPointer, value: media.example });
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        cases.push({
          where: `${at.join(" ")} ${mediaType} example "${name}"`,
          schemaPointer,
          value: deref<{ value?: unknown }>(example).value,
          exampleRef: example.$ref,
        });
      }
    }
  };
  const fromParameters = (parameters: unknown[] | undefined, at: string[]) => {
    (parameters ?? []).forEach((raw, index) => {
      const parameter = deref<{ name: string; example?: unknown }>(raw);
      const base = (raw as { $ref?: string }).$ref ?? pointer(...at, String(index));
      if (parameter.example !== undefined) {
        cases.push({ where: `parameter ${parameter.name}`, schemaPointer: `${base}/schema`, value: parameter.example });
      }
    });
  };

  for (const [section, items] of [
    ["paths", spec.paths],
    ["webhooks", spec.webhooks],
  ] as const) {
    for (const [path, item] of Object.entries(items)) {
      fromParameters(item.parameters as unknown[], [section, path, "parameters"]);
      for (const method of HTTP_METHODS.filter((m) => m in item)) {
        const operation = item[method] as {
          parameters?: unknown[];
          requestBody?: { content: Record<string, MediaType> };
          responses: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
        };
        fromParameters(operation.parameters, [section, path, method, "parameters"]);
        fromMediaTypes(operation.requestBody?.content, [section, path, method, "requestBody", "content"]);
        for (const [status, response] of Object.entries(operation.responses)) {
          const at = response.$ref ? response.$ref.slice(2).split("/") : [section, path, method, "responses", status];
          const { content, headers } = deref<{
            content?: Record<string, MediaType>;
            headers?: Record<string, MediaType>;
          }>(response);
          fromMediaTypes(content, [...at, "content"]);
          fromMediaTypes(headers, [...at, "headers"]);
        }
      }
    }
  }

  // `example` annotations anywhere inside component schemas, validated against the very
  // subschema they annotate.
  const walk = (node: unknown, at: string[]) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) walk(child, [...at, String(i)]);
      return;
    }
    const record = node as Record<string, unknown>;
    if ("example" in record && !("$ref" in record)) {
      cases.push({ where: `schema ${at.slice(2).join("/")}`, schemaPointer: pointer(...at), value: record.example });
    }
    for (const [key, child] of Object.entries(record))
      if (key !== "example" && key !== "examples") walk(child, [...at, key]);
  };
  walk(spec.components.schemas, ["components", "schemas"]);
  fromMediaTypes(spec.components.headers, ["components", "headers"]);
  for (const [name, parameter] of Object.entries(spec.components.parameters ?? {})) {
    if ("example" in parameter)
      cases.push({
        where: `parameter ${name}`,
        schemaPointer: pointer("components", "parameters", name, "schema"),
        value: parameter.example,
      });
  }
  return cases;
}

const cases = collectCases();

describe("every example in the spec validates against its schema (Ajv, JSON Schema 2020-12)", () => {
  it("finds the examples", () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  it.each(cases.map((c) => [c.where, c] as const))("%s", (_where, c) => {
    expect(violations(validatorAt(c.schemaPointer), c.value)).toEqual([]);
  });

  it("uses every named example somewhere, so none goes unchecked", () => {
    const used = new Set(cases.map((c) => c.exampleRef).filter(Boolean));
    const unused = Object.keys(spec.components.examples ?? {}).filter(
      (name) => !used.has(`#/components/examples/${name}`),
    );
    expect(unused).toEqual([]);
  });
});
