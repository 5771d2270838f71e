import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// Every operation and webhook shows a komoju-ts sample first (what the docs open on),
// then a cURL one, each a real file at openapi/code_samples/<lang>/<operationId>.<ext>
// (the TypeScript ones are compiled by `npm run typecheck`), and no sample file is left
// without its operation.
const OPENAPI = fileURLToPath(new URL("../../openapi/", import.meta.url));
const SAMPLES = join(OPENAPI, "code_samples");
const LANGUAGES = [
  { lang: "TypeScript", label: "komoju-ts", dir: "komoju-ts", ext: "ts" },
  { lang: "curl", label: "cURL", dir: "curl", ext: "sh" },
];
const METHODS = ["get", "put", "post", "delete", "patch"];

interface Operation {
  operationId: string;
  tags?: string[];
  "x-komoju-method"?: string;
  "x-komoju-resource"?: string;
  "x-codeSamples"?: { lang: string; label?: string; source: unknown }[];
}

function operations(): { file: string; operation: Operation }[] {
  const root = parse(readFileSync(join(OPENAPI, "openapi.yaml"), "utf8")) as Record<
    string,
    Record<string, { $ref: string }>
  >;
  return [...Object.values(root.paths ?? {}), ...Object.values(root.webhooks ?? {})].flatMap(({ $ref }) => {
    const file = join(OPENAPI, $ref);
    const item = parse(readFileSync(file, "utf8")) as Record<string, Operation>;
    return METHODS.filter((method) => item[method]).map((method) => ({ file, operation: item[method]! }));
  });
}

interface BundledExample {
  $ref?: string;
  value?: unknown;
}
type BundledBody = { content: Record<string, { examples?: Record<string, BundledExample> }> };
const bundled = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, { operationId?: string; requestBody?: BundledBody }>>;
  components: { examples: Record<string, BundledExample> };
};
/** The operation's request body in the bundled spec, its examples by $ref to components. */
const bundledRequestBody = (operationId: string) =>
  Object.values(bundled.paths)
    .flatMap((item) => Object.values(item))
    .find((operation) => operation.operationId === operationId)?.requestBody;

const camelCase = (tag: string) =>
  tag.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase());
const all = operations();

describe("code samples", () => {
  it("finds the operations", () => {
    expect(all.map(({ operation }) => operation.operationId)).toEqual(
      expect.arrayContaining(["createSession", "getSession", "cancelSession", "paySession", "receiveEvent"]),
    );
  });

  it.each(all.map(({ file, operation }) => [operation.operationId, file, operation] as const))(
    "%s has a komoju-ts then a cURL sample, each from its file",
    (operationId, file, operation) => {
      const samples = operation["x-codeSamples"] ?? [];
      expect(samples.map(({ lang, label }) => ({ lang, label }))).toEqual(
        LANGUAGES.map(({ lang, label }) => ({ lang, label })),
      );
      for (const [index, { dir, ext }] of LANGUAGES.entries()) {
        const expected = `../code_samples/${dir}/${operationId}.${ext}`;
        expect(samples[index]!.source, `${operationId}: the sample is a $ref to its file`).toEqual({ $ref: expected });
        const path = resolve(dirname(file), expected);
        expect(existsSync(path), `${path} exists`).toBe(true);
        expect(readFileSync(path, "utf8").trim()).not.toBe("");
      }
    },
  );

  it.each(
    all
      .filter(({ operation }) => operation["x-komoju-method"])
      .map(({ operation }) => [operation.operationId, operation] as const),
  )("%s: the komoju-ts sample calls the operation's own client method", (operationId, operation) => {
    const resource = operation["x-komoju-resource"] ?? camelCase(operation.tags![0]!);
    const source = readFileSync(join(SAMPLES, "komoju-ts", `${operationId}.ts`), "utf8");
    expect(source).toContain(`.${resource}.${operation["x-komoju-method"]}(`);
  });

  // Redoc selects the first language of redocly.yaml's list, whatever an operation lists.
  it("has Redoc open every operation on komoju-ts: redocly.yaml lists the languages in the same order", () => {
    const config = parse(readFileSync(new URL("../../redocly.yaml", import.meta.url), "utf8")) as {
      openapi: { codeSamples: { languages: { lang: string; label?: string }[] } };
    };
    const languages = config.openapi.codeSamples.languages.map(({ lang, label }) => ({ lang, label }));
    expect(languages.slice(0, LANGUAGES.length)).toEqual(LANGUAGES.map(({ lang, label }) => ({ lang, label })));
  });

  // The docs show the cURL sample beside the first media type and its first example: a
  // cURL sample that sends a body sends that one, as JSON (the first media type).
  it.each(
    all
      .filter(({ file }) => file.includes("/paths/"))
      .map(({ operation }) => [operation.operationId, bundledRequestBody(operation.operationId)] as const)
      .filter(([, body]) => body),
  )("%s: the cURL sample sends the first request example as JSON", (operationId, body) => {
    const [mediaType, media] = Object.entries(body!.content)[0]!;
    expect(mediaType).toBe("application/json");
    const first = Object.values(media.examples ?? {})[0];
    const value = (first?.$ref ? bundled.components.examples[first.$ref.split("/").pop()!] : first)?.value;
    const curl = readFileSync(join(SAMPLES, "curl", `${operationId}.sh`), "utf8");
    expect(curl).toContain('-H "Content-Type: application/json"');
    const sent = /^\s*-d '([^']*)'\s*$/m.exec(curl);
    expect(sent, `${operationId}.sh sends its body as -d '<JSON>'`).not.toBeNull();
    expect(JSON.parse(sent![1]!)).toEqual(value);
  });

  it("has no sample file without its operation", () => {
    const ids = new Set(all.map(({ operation }) => operation.operationId));
    for (const { dir, ext } of LANGUAGES) {
      const orphans = readdirSync(join(SAMPLES, dir)).filter(
        (name) => !(name.endsWith(`.${ext}`) && ids.has(name.slice(0, -ext.length - 1))),
      );
      expect(orphans, `openapi/code_samples/${dir}`).toEqual([]);
    }
  });
});
