import { describe, expect, it } from "vitest";
import { loadBundledSpec, operations, pointerTarget, resolve, schemaName, walk } from "../../scripts/lib/openapi.js";

const spec = loadBundledSpec();

describe("the spec reader", () => {
  it("follows a $ref to the named schema, through chains, and refuses loops and dangling refs", () => {
    expect(resolve(spec, { $ref: "#/components/schemas/Session" })).toBe(spec.components.schemas.Session);
    const doc = { a: { $ref: "#/b" }, b: { $ref: "#/c" }, c: { type: "string" }, loop: { $ref: "#/loop" } };
    expect(resolve(doc, doc.a)).toEqual({ type: "string" });
    expect(() => resolve(doc, doc.loop)).toThrow(/loop/);
    expect(() => resolve(doc, { $ref: "#/nowhere" })).toThrow(/nothing/);
    expect(() => resolve(doc, { $ref: "other.yaml#/x" })).toThrow(/internal/);
  });

  it("decodes JSON pointer escapes (~1 for /, ~0 for ~)", () => {
    expect(pointerTarget({ "a/b": { "c~d": 1 } }, "#/a~1b/c~0d")).toBe(1);
    expect(pointerTarget(spec, "#/paths/~1api~1v1~1sessions/post")).toBe(spec.paths["/api/v1/sessions"]?.post);
  });

  it("names schemas only for component schema refs", () => {
    expect(schemaName({ $ref: "#/components/schemas/Payment" })).toBe("Payment");
    expect(schemaName({ $ref: "#/components/responses/NotFound" })).toBeUndefined();
    expect(schemaName({ type: "string" })).toBeUndefined();
  });

  it("lists every operation once, in document order, with path-level parameters merged", () => {
    const entries = [...operations(spec)];
    const ids = entries.map((e) => e.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("createSession");
    const counted = Object.values(spec.paths).flatMap((item) =>
      Object.keys(item).filter((k) => ["get", "put", "post", "delete", "patch"].includes(k)),
    );
    expect(entries.length).toBe(counted.length);
    const doc = {
      paths: {
        "/x/{id}": {
          parameters: [{ name: "id", in: "path", description: "shared" }],
          get: { operationId: "a", parameters: [{ name: "id", in: "path", description: "own" }] },
        },
      },
    } as unknown as Parameters<typeof operations>[0];
    expect([...operations(doc)][0]?.parameters).toEqual([{ name: "id", in: "path", description: "own" }]);
  });

  it("walks every node with its pointer", () => {
    const seen = [...walk({ a: [1, { "b/c": 2 }] })].map((e) => e.pointer);
    expect(seen).toEqual(["#", "#/a", "#/a/0", "#/a/1", "#/a/1/b~1c"]);
  });
});
