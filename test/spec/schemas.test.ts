import { describe, expect, it } from "vitest";
import seedCreate from "../fixtures/seed-create-session.json" with { type: "json" };
import seedShow from "../fixtures/seed-show-session.json" with { type: "json" };
import { schemaValidator, spec, violations } from "../support/spec.js";

const session = schemaValidator("Session");
const createRequest = schemaValidator("SessionCreateRequest");
const payRequest = schemaValidator("SessionPayRequest");
const event = schemaValidator("Event");
const payment = (spec.components.examples!.SessionCompleted!.value as { payment: Record<string, unknown> }).payment;

describe("the spec's surface", () => {
  it("has the four operations at the seed's paths with their operationIds", () => {
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "post"].includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${(op as { operationId: string }).operationId}`),
    );
    expect(operations.sort()).toEqual([
      "GET /api/v1/barcodes/{payment_id} getBarcode",
      "GET /api/v1/customers listCustomers",
      "GET /api/v1/customers/{id} getCustomer",
      "GET /api/v1/events listEvents",
      "GET /api/v1/events/{id} getEvent",
      "GET /api/v1/payment_methods listPaymentMethods",
      "GET /api/v1/payments listPayments",
      "GET /api/v1/payments/{id} getPayment",
      "GET /api/v1/sessions/{id} getSession",
      "POST /api/v1/customers createCustomer",
      "POST /api/v1/payments createPayment",
      "POST /api/v1/payments/{id}/cancel cancelPayment",
      "POST /api/v1/payments/{id}/capture capturePayment",
      "POST /api/v1/payments/{id}/refund refundPayment",
      "POST /api/v1/payments/{id}/refund_request createRefundRequest",
      "POST /api/v1/sessions createSession",
      "POST /api/v1/sessions/{id}/cancel cancelSession",
      "POST /api/v1/sessions/{id}/pay paySession",
      "POST /api/v1/tokens createToken",
    ]);
    expect((spec as unknown as { servers: { url: string }[] }).servers[0]?.url).toBe("https://komoju.com");
  });

  it("names the component schemas users import", () => {
    const names = Object.keys(spec.components.schemas ?? {});
    for (const name of [
      "Session",
      "SessionCreateRequest",
      "SessionPayRequest",
      "SessionPayResponse",
      "Payment",
      "PaymentMethod",
      "LineItem",
      "Error",
      "Event",
      "Currency",
      "Locale",
      "PaymentType",
      "Metadata",
      "Address",
    ]) {
      expect(names).toContain(name);
    }
  });

  it("sends X-KOMOJU-IDEMPOTENCY on every POST and X-KOMOJU-API-VERSION on every operation", () => {
    for (const item of Object.values(spec.paths)) {
      for (const [method, op] of Object.entries(item).filter(([m]) => ["get", "post"].includes(m))) {
        const names = ((op as { parameters: { $ref: string }[] }).parameters ?? []).map((p) => p.$ref.split("/").pop());
        expect(names).toContain("ApiVersion");
        if (method === "post") expect(names).toContain("IdempotencyKey");
      }
    }
  });
});

describe("Session (responses) accepts old and new payloads, and unknown fields", () => {
  it("accepts a field KOMOJU may add later", () => {
    expect(violations(session, { ...seedCreate, brand_new_field: { nested: true } })).toEqual([]);
  });

  it("accepts a completed session with its payment, and a cancelled one", () => {
    expect(violations(session, spec.components.examples?.SessionCompleted?.value)).toEqual([]);
    expect(violations(session, spec.components.examples?.SessionCancelled?.value)).toEqual([]);
  });

  it("accepts a payment of a type it does not model in detail", () => {
    const paypay = { ...payment, payment_details: { type: "paypay", redirect_url: "https://example.com/x", qr: "…" } };
    expect(violations(session, { ...seedCreate, payment: paypay })).toEqual([]);
  });
});

describe("Session still rejects garbage", () => {
  const { id: _id, ...withoutId } = seedShow;
  it.each([
    ["a wrong resource", { ...seedShow, resource: "payment" }],
    ["an unknown status", { ...seedShow, status: "expired" }],
    ["a missing id", withoutId],
    ["an id of the wrong type", { ...seedShow, id: 42 }],
    ["an amount as a string", { ...seedCreate, amount: "8888" }],
    ["a timestamp of the wrong type", { ...seedShow, cancelled_at: 123 }],
    ["an empty object as payment", { ...seedShow, payment: {} }],
    ["a payment with a wrong resource", { ...seedShow, payment: { ...payment, resource: "session" } }],
    [
      "a card payment without its brand",
      {
        ...seedShow,
        payment: {
          ...payment,
          payment_details: { type: "credit_card", last_four_digits: "1111", month: 1, year: 2030 },
        },
      },
    ],
    ["payment_methods that is not a list", { ...seedShow, payment_methods: { type: "konbini" } }],
    ["an unknown locale", { ...seedShow, default_locale: "fr" }],
  ])("rejects %s", (_what, value) => {
    expect(violations(session, value)).not.toEqual([]);
  });
});

describe("SessionCreateRequest (requests) is strict", () => {
  const base = { amount: 1000, currency: "JPY", return_url: "https://example.com/done" };

  it("accepts each mode's valid shape", () => {
    expect(violations(createRequest, base)).toEqual([]);
    expect(violations(createRequest, { ...base, mode: "payment", payment_data: { capture: "manual" } })).toEqual([]);
    expect(violations(createRequest, { ...base, mode: "customer", amount: 0, customer_id: "cus_1" })).toEqual([]);
    expect(
      violations(createRequest, {
        ...base,
        mode: "customer_payment",
        customer_id: "cus_1",
        payment_data: { name: "山田" },
      }),
    ).toEqual([]);
  });

  // Issue 10: what KOMOJU accepts (SDK 1.0.0, the current guide, KOMOJU's own clients).
  it.each([
    ["no return_url (optional in SDK 1.0.0)", { amount: 1000, currency: "JPY" }],
    ["customer mode without amount (defaults to 0)", { mode: "customer", currency: "JPY" }],
    ["the Ruby sample's digit-string amount", { ...base, amount: "8888" }],
    [
      "amount and currency inside payment_data (SDK PaymentDataRequest)",
      { ...base, payment_data: { amount: 8888, currency: "JPY", intent: "one_time" } },
    ],
    [
      "WooCommerce's fraud_details with an empty customer_email",
      {
        ...base,
        fraud_details: {
          customer_ip: "203.0.113.7",
          customer_email: "",
          browser_language: "ja",
          browser_user_agent: "Mozilla/5.0",
        },
      },
    ],
  ])("accepts %s", (_what, value) => {
    expect(violations(createRequest, value)).toEqual([]);
  });

  it.each([
    ["an unknown field", { ...base, amonut: 1000 }],
    ["an unknown field inside payment_data", { ...base, payment_data: { foo: "bar" } }],
    ["payment mode without amount", { currency: "JPY", return_url: base.return_url }],
    ["payment mode without currency", { amount: 1000, return_url: base.return_url }],
    [
      "customer_payment mode without amount",
      { mode: "customer_payment", currency: "JPY", return_url: base.return_url },
    ],
    ["customer mode without currency", { mode: "customer", return_url: base.return_url }],
    ["customer_id in payment mode", { ...base, customer_id: "cus_1" }],
    ["an unknown mode", { ...base, mode: "subscription" }],
    ["a decimal amount string", { ...base, amount: "88.88" }],
    ["a signed amount string", { ...base, amount: "-1" }],
    ["a non-numeric amount string", { ...base, amount: "abc" }],
    ["an empty amount string", { ...base, amount: "" }],
    [
      "a fraud_details customer_email that is neither empty nor an address",
      { ...base, fraud_details: { customer_ip: "203.0.113.7", customer_email: "nope" } },
    ],
    ["a negative amount", { ...base, amount: -1 }],
    ["expires_in_seconds above 86400", { ...base, expires_in_seconds: 86401 }],
    ["an unsupported locale", { ...base, default_locale: "fr" }],
    ["an unknown currency", { ...base, currency: "XXX" }],
    ["an unknown payment type", { ...base, payment_types: ["bitcoin"] }],
    ["a non-string metadata value", { ...base, metadata: { n: 1 } }],
    ["a metadata key over 30 characters", { ...base, metadata: { ["k".repeat(31)]: "v" } }],
    ["a return_url that is not a URL", { ...base, return_url: "not a url" }],
  ])("rejects %s", (_what, value) => {
    expect(violations(createRequest, value)).not.toEqual([]);
  });
});

describe("SessionPayRequest", () => {
  it("accepts a token, card details and konbini details", () => {
    expect(violations(payRequest, { payment_details: "tok_abc123" })).toEqual([]);
    expect(
      violations(payRequest, {
        payment_details: { type: "credit_card", number: "4111111111111111", month: 1, year: 30 },
      }),
    ).toEqual([]);
    expect(
      violations(payRequest, { payment_details: { type: "konbini", store: "lawson", email: "a@example.com" } }),
    ).toEqual([]);
    expect(violations(payRequest, { payment_details: { type: "paypay" } })).toEqual([]);
  });

  it.each([
    ["no payment_details", {}],
    ["an unknown field", { payment_details: "tok_abc", amonut: 1 }],
    [
      "a card month of 13 as a string",
      { payment_details: { type: "credit_card", number: "4111111111111111", month: "13", year: "29" } },
    ],
    [
      "a card year of three digits",
      { payment_details: { type: "credit_card", number: "4111111111111111", month: "12", year: "299" } },
    ],
    [
      "a bank transfer without the kana names SDK 1.0.0 requires",
      { payment_details: { type: "bank_transfer", email: "a@example.com", phone: "09012345678" } },
    ],
    [
      "a konbini expiry_days above 59",
      { payment_details: { type: "konbini", store: "lawson", email: "a@example.com", expiry_days: 60 } },
    ],
    [
      "a misspelt konbini field",
      { payment_details: { type: "konbini", store: "lawson", email: "a@example.com", nmae: "x" } },
    ],
    [
      "a konbini store that does not exist",
      { payment_details: { type: "konbini", store: "7-eleven", email: "a@example.com" } },
    ],
    ["card details without a number", { payment_details: { type: "credit_card", month: 1, year: 30 } }],
    ["a string that is not a token", { payment_details: "4111111111111111" }],
  ])("rejects %s", (_what, value) => {
    expect(violations(payRequest, value)).not.toEqual([]);
  });
});

describe("Event", () => {
  const captured = spec.components.examples?.EventPaymentCaptured?.value as Record<string, unknown>;
  it("accepts payment events and other events", () => {
    expect(violations(event, captured)).toEqual([]);
    const customer = spec.components.examples?.Customer?.value;
    expect(violations(event, { ...captured, type: "customer.created", data: customer })).toEqual([]);
  });
  it("rejects a payment event whose data is not a payment", () => {
    expect(violations(event, { ...captured, data: { id: "cus_1", resource: "customer" } })).not.toEqual([]);
  });
  it("rejects a wrong resource", () => {
    expect(violations(event, { ...captured, resource: "payment" })).not.toEqual([]);
  });
});
