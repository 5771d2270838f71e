import { describe, expect, it } from "vitest";
import type { SessionCreateRequest } from "../src/index.js";
import { formViolations } from "./support/form-check.js";
import { contractClient, isMock, violationsOf } from "./support/target.js";

const bodies: [string, SessionCreateRequest][] = [
  [
    "the seed's body",
    {
      default_locale: "ja",
      email: "test@example.com",
      metadata: { test: "value" },
      amount: 8888,
      currency: "JPY",
      payment_data: { external_order_num: "my_custom_order", name: "John", name_kana: "ジョン" },
      payment_types: ["credit_card", "konbini"],
      return_url: "https://example.com",
    },
  ],
  [
    "customer mode",
    {
      mode: "customer",
      amount: 0,
      currency: "JPY",
      return_url: "https://example.com/saved",
      customer_id: "cus_1",
      payment_types: ["credit_card"],
    },
  ],
  [
    "nested addresses and Japanese text",
    {
      mode: "customer_payment",
      amount: 1,
      currency: "USD",
      return_url: "https://example.com/done?x=1&y=2",
      payment_data: { capture: "manual", shipping_address: { name: "山田 花子", city: "渋谷区", country: "JP" } },
      metadata: { 注文: "四十二", "a b": "c&d=e" },
    },
  ],
];

describe("form bodies: what goes on the wire is Rack-style and valid", () => {
  it.each(bodies)("%s: Prism accepts it, and qs + Ajv read back exactly what was sent", async (_name, body) => {
    const { client, last } = contractClient({ encoding: "form" });
    await client.sessions.create(body);
    expect(last().response.status).toBe(200);
    expect(violationsOf(last().response.headers)).toEqual([]);
    const { parsed, violations } = formViolations(last().body, "SessionCreateRequest");
    expect(violations).toEqual([]);
    // Rack reads every form value as a string; a digit-string amount is a valid Amount,
    // so the checker keeps it as sent instead of coercing it to a number.
    expect(parsed).toEqual({ ...body, amount: String(body.amount) });
  });

  it("uses Rack's bracket style and the exact content type", async () => {
    const { client, last } = contractClient({ encoding: "form" });
    await client.sessions.create(bodies[0]![1]);
    expect(last().request.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const keys = [...new URLSearchParams(last().body).keys()];
    expect(keys).toEqual(expect.arrayContaining(["metadata[test]", "payment_data[name]", "payment_types[]"]));
    expect(keys.filter((k) => k === "payment_types[]")).toHaveLength(2);
  });

  it("refuses a list of objects, which Rack and qs would read differently, before sending", async () => {
    const { client, exchanges } = contractClient({ encoding: "form" });
    await expect(
      client.sessions.create({
        amount: 1,
        currency: "JPY",
        return_url: "https://example.com",
        line_items: [{ amount: 1 }, { description: "x" }],
      }),
    ).rejects.toMatchObject({ name: "KomojuInvalidRequestError", code: "invalid_form_body" });
    expect(exchanges).toHaveLength(0);
  });
});

// Each of these passes Prism (it cannot see inside `key[]` and `key[field]`), which
// is exactly why the wire check exists. If Prism ever catches one, this test says so.
// Mock only: through the proxy, these invalid requests would reach the real API.
describe.runIf(isMock)("the gap Prism leaves in form bodies, closed by the wire check", () => {
  const base = { amount: 1000, currency: "JPY", return_url: "https://example.com" };
  it.each([
    [
      "an unknown payment type in payment_types[]",
      { ...base, payment_types: ["bitcoin"] },
      /payment_types\/0 must be equal to one of the allowed values/,
    ],
    [
      "the same payment type twice",
      { ...base, payment_types: ["konbini", "konbini"] },
      /must NOT have duplicate items/,
    ],
    [
      "a metadata key over 30 characters",
      { ...base, metadata: { ["k".repeat(31)]: "v" } },
      /metadata property name must be valid/,
    ],
    [
      "a metadata value over 2000 characters",
      { ...base, metadata: { note: "x".repeat(2001) } },
      /metadata\/note must NOT have more than 2000 characters/,
    ],
  ])("%s", async (_name, body, expected) => {
    const { client, last } = contractClient({ encoding: "form" });
    await client.sessions.create(body as never);
    expect(last().response.status).toBe(200);
    expect(violationsOf(last().response.headers)).toEqual([]);
    expect(formViolations(last().body, "SessionCreateRequest").violations.join("\n")).toMatch(expected);
  });
});
