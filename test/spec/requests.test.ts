import { describe, expect, it } from "vitest";
import { deref, schemaValidator, spec, validatorAt, violations } from "../support/spec.js";

// The wave A bodies (issue 13): every request example the spec carries is accepted, and a
// copy with one field misspelt is refused, so the schemas stay closed to typos while
// accepting what KOMOJU's own clients send.

interface MediaType {
  schema: { $ref: string };
  examples?: Record<string, { $ref: string }>;
}
interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, MediaType> };
}

const WAVE_A = /^\/api\/v1\/(payments|payment_methods|tokens|customers|events|barcodes)/;
const cases = Object.entries(spec.paths)
  .filter(([path]) => WAVE_A.test(path))
  .flatMap(([, item]) => Object.values(item) as Operation[])
  .flatMap((op) =>
    Object.entries(op.requestBody?.content ?? {}).flatMap(([mediaType, media]) =>
      Object.entries(media.examples ?? {}).map(([name, ref]) => ({
        label: `${op.operationId} ${mediaType} ${name}`,
        schema: media.schema.$ref,
        form: mediaType === "application/x-www-form-urlencoded",
        value: deref<{ value: Record<string, unknown> }>(ref).value,
      })),
    ),
  );

/** The example with its first key misspelt (a letter doubled). */
function misspelt(value: Record<string, unknown>): Record<string, unknown> {
  const [key, field] = Object.entries(value)[0]!;
  const { [key]: _dropped, ...rest } = value;
  return { ...rest, [`${key}${key.at(-1)}`]: field };
}

describe("wave A request examples", () => {
  it("covers every body of the 18 operations", () => {
    const operations = new Set(cases.map((c) => c.label.split(" ")[0]));
    expect([...operations].sort()).toEqual([
      "capturePayment",
      "createCustomer",
      "createPayment",
      "createRefundRequest",
      "createToken",
      "refundPayment",
      "updateCustomer",
      "updatePayment",
    ]);
  });

  it.each(cases)("$label is accepted, and refused with a misspelt field", ({ schema, form, value }) => {
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
