import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { camelCase, emit, operationsOf, route } from "../../scripts/lib/client-code.js";
import type { OpenApiDocument } from "../../scripts/lib/openapi.js";

const json = { content: { "application/json": { schema: { $ref: "#/components/schemas/Widget" } } } };
const list = { content: { "application/json": { schema: { $ref: "#/components/schemas/WidgetList" } } } };

/** A tiny spec with one operation of each shape. */
function fixture(extra: Record<string, unknown> = {}): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: { title: "Widgets", version: "2025-01-28" },
    paths: {
      "/api/v1/widgets": {
        get: {
          operationId: "listWidgets",
          tags: ["Widgets"],
          "x-komoju-method": "list",
          "x-komoju-pagination": "page",
          parameters: [
            { $ref: "#/components/parameters/StartTime" },
            { name: "page", in: "query", schema: { type: "integer" } },
            { name: "X-KOMOJU-API-VERSION", in: "header" },
          ],
          responses: { 200: list },
        },
        post: {
          operationId: "createWidget",
          tags: ["Widgets"],
          "x-komoju-method": "create",
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/WidgetCreateRequest" } },
              "application/x-www-form-urlencoded": {},
            },
          },
          responses: { 200: json },
        },
      },
      "/api/v1/widgets/{id}/parts/{part_id}": {
        parameters: [{ name: "id", in: "path", required: true }],
        patch: {
          operationId: "updateWidgetPart",
          tags: ["Widget parts"],
          "x-komoju-method": "update",
          requestBody: { content: { "application/json": { schema: { type: "object" } } } },
          responses: { 201: { $ref: "#/components/responses/Parts" }, 404: json },
        },
        delete: {
          operationId: "deleteWidgetPart",
          tags: ["Widget parts"],
          "x-komoju-resource": "widgets",
          "x-komoju-method": "removePart",
          parameters: [{ name: "force", in: "query", required: true, schema: { type: "boolean" } }],
          responses: { 204: { description: "Gone." } },
        },
      },
      ...extra,
    },
    components: {
      parameters: { StartTime: { name: "start_time", in: "query", schema: { type: "string", format: "date-time" } } },
      responses: { Parts: { content: { "application/json": { schema: { type: "array", items: {} } } } } },
      schemas: {
        Widget: { type: "object" },
        WidgetList: { type: "object" },
        WidgetCreateRequest: { type: "object" },
        Error: { type: "object" },
        PaymentEventType: { type: "string", enum: ["payment.captured", "payment.refunded"] },
      },
    },
  };
}

describe("the resource layer emitted from the spec", () => {
  it("names resources after the first tag, camelCased, unless x-komoju-resource says otherwise", () => {
    expect(["Sessions", "Payment methods", "PaymentMethods", "payment-methods", "API keys"].map(camelCase)).toEqual([
      "sessions",
      "paymentMethods",
      "paymentMethods",
      "paymentMethods",
      "apiKeys",
    ]);
    const ops = operationsOf(fixture());
    expect(ops.map((op: { resource: string; method: string }) => `${op.resource}.${op.method}`)).toEqual([
      "widgets.list",
      "widgets.create",
      "widgetParts.update",
      "widgets.removePart",
    ]);
  });

  it("routes carry the method, path and the shape of arguments and answer the generic request function needs", () => {
    expect(operationsOf(fixture()).map(route)).toEqual([
      { method: "GET", path: "/api/v1/widgets", query: true, paginated: true },
      { method: "POST", path: "/api/v1/widgets", body: "required" },
      { method: "PATCH", path: "/api/v1/widgets/{id}/parts/{part_id}", body: "optional", returns: "array" },
      { method: "DELETE", path: "/api/v1/widgets/{id}/parts/{part_id}", query: true, returns: "none" },
    ]);
  });

  it("signatures: path parameters in order, then the body or the query, then options; 2xx type or void", () => {
    const resources = emit(fixture())["generated/resource-types.ts"];
    expect(resources).toContain(
      'list(query?: DatesAllowed<NonNullable<operations["listWidgets"]["parameters"]["query"]>, "start_time">, options?: RequestOptions): PageRequest<WidgetList>;',
    );
    expect(resources).toContain("create(body: WidgetCreateRequest, options?: RequestOptions): Promise<Widget>;");
    expect(resources).toContain(
      'update(id: string, part_id: string, body?: NonNullable<operations["updateWidgetPart"]["requestBody"]>["content"]["application/json"], options?: RequestOptions): Promise<operations["updateWidgetPart"]["responses"][201]["content"]["application/json"]>;',
    );
    expect(resources).toContain(
      'removePart(id: string, part_id: string, query: NonNullable<operations["deleteWidgetPart"]["parameters"]["query"]>, options?: RequestOptions): Promise<void>;',
    );
    expect(resources).toMatch(
      /export interface KomojuResources \{\n {2}widgetParts: WidgetPartsResource;\n {2}widgets: WidgetsResource;\n\}/,
    );
  });

  it("constants come from the spec: the API version from info.version, payment event types from PaymentEventType", () => {
    const constants = emit(fixture())["generated/constants.ts"];
    expect(constants).toContain('export const API_VERSION = "2025-01-28";');
    expect(constants).toContain(
      'export const PAYMENT_EVENT_TYPES = [\n  "payment.captured",\n  "payment.refunded",\n] as const;',
    );
    const withoutEnum = fixture();
    delete withoutEnum.components.schemas.PaymentEventType;
    expect(() => emit(withoutEnum)).toThrow(/PaymentEventType/);
  });

  it("exports every schema by name, renaming those that would shadow a global", () => {
    const schemas = emit(fixture())["generated/schemas.ts"];
    expect(schemas).toContain('export type Widget = components["schemas"]["Widget"];');
    expect(schemas).toContain('export type ErrorBody = components["schemas"]["Error"];');
    expect(schemas).not.toMatch(/export type Error\b/);
  });

  it("refuses a spec it cannot turn into methods, saying which operation and why", () => {
    const missing = fixture({
      "/api/v1/gadgets": { get: { operationId: "listGadgets", tags: ["Gadgets"], responses: {} } },
    });
    expect(() => emit(missing)).toThrow(/listGadgets \(GET \/api\/v1\/gadgets\): needs x-komoju-method/);
    const twice = fixture({
      "/api/v1/w2": {
        post: { operationId: "createWidget2", tags: ["Widgets"], "x-komoju-method": "create", responses: {} },
      },
    });
    expect(() => emit(twice)).toThrow(/createWidget2 and createWidget are both widgets\.create/);
    const badPages = fixture({
      "/api/v1/w3": {
        get: {
          operationId: "listW3",
          tags: ["W3"],
          "x-komoju-method": "list",
          "x-komoju-pagination": "cursor",
          responses: {},
        },
      },
    });
    expect(() => emit(badPages)).toThrow(/listW3: x-komoju-pagination must be "page"/);
    const noPageParam = fixture({
      "/api/v1/w4": {
        get: {
          operationId: "listW4",
          tags: ["W4"],
          "x-komoju-method": "list",
          "x-komoju-pagination": "page",
          responses: { 200: list },
        },
      },
    });
    expect(() => emit(noPageParam)).toThrow(/listW4: x-komoju-pagination needs a `page` query parameter/);
  });

  it("the committed generated/ files are what the bundled spec produces", () => {
    const spec = JSON.parse(readFileSync("generated/openapi.json", "utf8"));
    for (const [path, text] of Object.entries(emit(spec))) expect(readFileSync(path, "utf8"), path).toBe(text);
  });

  it("no endpoint path is written by hand in src/", () => {
    for (const file of readdirSync("src")) expect(readFileSync(`src/${file}`, "utf8"), file).not.toMatch(/\/api\/v1/);
  });
});
