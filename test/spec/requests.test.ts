import { describe, expect, it } from "vitest";
import { loadBundledSpec, type OperationEntry, operations, resolve, type SpecNode } from "../../scripts/lib/openapi.js";
import { deref, schemaValidator, spec, validatorAt, violations } from "../support/spec.js";

// Every operation's request as the spec shows it: an example for each required
// parameter, valid for its schema, and examples of the body that its schema accepts, while
// it refuses a copy with one field misspelt, so the schemas stay closed to typos while
// accepting what KOMOJU's own clients send.

const document = loadBundledSpec();
const entries = [...operations(document)];

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;

/** The JSON pointer of each of the operation's parameters (resolved node → where its schema is). */
function schemaPointers({ path, method }: OperationEntry): Map<SpecNode, string> {
  const item = document.paths[path]!;
  const own = (item[method] as SpecNode).parameters as SpecNode[] | undefined;
  const pointers = new Map<SpecNode, string>();
  for (const [list, at] of [
    [item.parameters, ["paths", path, "parameters"]],
    [own, ["paths", path, method, "parameters"]],
  ] as const) {
    for (const [index, raw] of (list ?? []).entries())
      pointers.set(resolve(document, raw), `${raw.$ref ?? pointer(...at, String(index))}/schema`);
  }
  return pointers;
}

interface BodyExample {
  label: string;
  schema: string;
  form: boolean;
  value: Record<string, unknown>;
}

/** Every example of the operation's request body, in each media type, with the pointer of its schema. */
function bodyExamples({ path, method, operation }: OperationEntry): BodyExample[] {
  if (!operation.requestBody) return [];
  const at = operation.requestBody.$ref ?? pointer("paths", path, method, "requestBody");
  const { content } = resolve<{ content: Record<string, SpecNode & { examples?: Record<string, SpecNode> }> }>(
    document,
    operation.requestBody,
  );
  return Object.entries(content).flatMap(([mediaType, media]) =>
    Object.entries(media.examples ?? {}).map(([name, example]) => ({
      label: `${mediaType} ${name}`,
      schema: (media.schema as SpecNode | undefined)?.$ref ?? `${at}/content/${pointer(mediaType).slice(2)}/schema`,
      form: mediaType === "application/x-www-form-urlencoded",
      value: resolve<{ value: Record<string, unknown> }>(document, example).value,
    })),
  );
}

/** The example with its first key misspelt (a letter doubled). */
function misspelt(value: Record<string, unknown>): Record<string, unknown> {
  const [key, field] = Object.entries(value)[0]!;
  const { [key]: _dropped, ...rest } = value;
  return { ...rest, [`${key}${key.at(-1)}`]: field };
}

describe.each(entries.map((entry) => [entry.operation.operationId, entry] as const))("%s", (_id, entry) => {
  it("has an example for every required parameter, and each example is valid", () => {
    const pointers = schemaPointers(entry);
    const missing = entry.parameters.filter((p) => p.required === true && p.example === undefined).map((p) => p.name);
    expect(missing).toEqual([]);
    for (const parameter of entry.parameters.filter((p) => p.example !== undefined)) {
      const at = pointers.get(parameter);
      expect(at, String(parameter.name)).toBeDefined();
      expect(violations(validatorAt(at!), parameter.example), String(parameter.name)).toEqual([]);
    }
  });

  const bodies = bodyExamples(entry);
  if (entry.operation.requestBody) {
    it("shows its body in at least one example", () => {
      expect(bodies.length).toBeGreaterThan(0);
    });
  }
  it.each(bodies)("body $label is accepted, and refused with a misspelt field", ({ schema, form, value }) => {
    const validate = validatorAt(schema, { coerceTypes: form });
    expect(violations(validate, value)).toEqual([]);
    expect(violations(validate, misspelt(value))).not.toEqual([]);
  });
});

describe("PaymentCreateRequest", () => {
  const create = schemaValidator("PaymentCreateRequest");
  const base = { amount: 1000, currency: "JPY" };
  it("takes exactly one of payment_details and customer", () => {
    expect(violations(create, { ...base, payment_details: "tok_abc" })).toEqual([]);
    expect(violations(create, { ...base, customer: "3ia9knmuqcdvz0eu3tsx3op21" })).toEqual([]);
    expect(violations(create, base)).not.toEqual([]);
    expect(violations(create, { ...base, customer: "c", payment_details: "tok_abc" })).not.toEqual([]);
  });
  it("takes tax as an amount or auto, and refuses malformed amounts", () => {
    expect(violations(create, { ...base, payment_details: "tok_abc", tax: "auto" })).toEqual([]);
    expect(violations(create, { ...base, payment_details: "tok_abc", amount: "8888" })).toEqual([]);
    expect(violations(create, { ...base, payment_details: "tok_abc", amount: "88.88" })).not.toEqual([]);
    expect(violations(create, { ...base, payment_details: "tok_abc", tax: "none" })).not.toEqual([]);
  });
  it("refuses the undocumented per-payment webhooks parameter and a card number as a token", () => {
    expect(violations(create, { ...base, payment_details: "tok_abc", webhooks: [] })).not.toEqual([]);
    expect(violations(create, { ...base, payment_details: "4111111111111111" })).not.toEqual([]);
  });
});

describe("RefundRequestCreateRequest", () => {
  const create = schemaValidator("RefundRequestCreateRequest");
  const value = deref<{ value: Record<string, unknown> }>(spec.components.examples!.RefundRequestCreate).value;
  it("takes the account number as seven digits, in a string or an integer", () => {
    expect(violations(create, { ...value, account_number: 1234567 })).toEqual([]);
    expect(violations(create, { ...value, account_number: "123456" })).not.toEqual([]);
  });
  it("refuses an unknown account type and a malformed branch number", () => {
    expect(violations(create, { ...value, account_type: "ordinary" })).not.toEqual([]);
    expect(violations(create, { ...value, branch_number: "1" })).not.toEqual([]);
  });
});

describe("the List payments status filter", () => {
  const status = validatorAt("#/components/parameters/PaymentStatusFilter/schema");
  it("takes one status or a comma list, failed included", () => {
    for (const value of ["captured", "failed", "captured,refunded,failed"])
      expect(violations(status, value)).toEqual([]);
  });
  it("refuses unknown statuses and stray commas", () => {
    for (const value of ["captred", "captured,", "captured, refunded", ""])
      expect(violations(status, value)).not.toEqual([]);
  });
});

describe("events", () => {
  const event = schemaValidator("Event");
  const delivery = validatorAt("#/webhooks/event/post/requestBody/content/application~1json/schema");
  const refunded = deref<{ value: Record<string, unknown> }>(spec.components.examples!.EventPaymentRefunded).value;
  const customer = deref<{ value: Record<string, unknown> }>(spec.components.examples!.Customer).value;
  it("checks data against the type's schema", () => {
    expect(violations(event, { ...refunded, type: "customer.updated", data: customer })).toEqual([]);
    expect(violations(event, { ...refunded, type: "customer.updated" })).not.toEqual([]);
    expect(violations(event, { ...refunded, data: customer })).not.toEqual([]);
  });
  it("takes every documented type into the union, and no other", () => {
    expect(violations(event, { ...refunded, type: "submerchant.payment.refunded" })).toEqual([]);
    expect(violations(event, { ...refunded, type: "ping", data: {} })).toEqual([]);
    expect(violations(event, { ...refunded, type: "invoice.created", data: {} })).not.toEqual([]);
  });
  it("lets a webhook delivery carry an undocumented type, but not a documented one with the wrong data", () => {
    expect(violations(delivery, { ...refunded, type: "invoice.created", data: { id: "x" } })).toEqual([]);
    expect(violations(delivery, { ...refunded, type: "payment.refunded", data: { id: "x" } })).not.toEqual([]);
  });
  it("keeps responses open to fields KOMOJU adds", () => {
    expect(
      violations(event, { ...refunded, brand_new: true, data: { ...(refunded.data as object), captures: [] } }),
    ).toEqual([]);
    expect(violations(schemaValidator("Customer"), { ...customer, brand_new: 1 })).toEqual([]);
  });
});
