import { describe, expect, it } from "vitest";
import { type KomojuApiError, KomojuAuthenticationError, KomojuUnprocessableEntityError } from "../src/index.js";
import { contractClient, target, violationsOf } from "./support/target.js";

const valid = { amount: 1000, currency: "JPY", return_url: "https://example.com/done" };
const sessionId = "e9x5mvx3jkpkofzcg7umfael6";

type Send = (client: ReturnType<typeof contractClient>["client"]) => Promise<unknown>;
// Each body breaks the spec in one way; `as never` gets it past the client's types,
// which already refuse every one of these at compile time.
const create =
  (body: object): Send =>
  (c) =>
    c.sessions.create(body as never);
const pay =
  (body: object): Send =>
  (c) =>
    c.sessions.pay(sessionId, body as never);

/** Invalid requests, each with the part of Prism's violation message that names the fault. */
const invalidBodies: [kind: string, send: Send, expected: RegExp][] = [
  ["amount as a decimal string", create({ ...valid, amount: "88.88" }), /amount must match pattern/],
  ["negative amount", create({ ...valid, amount: -1 }), /amount must be >= 0/],
  ["unknown currency", create({ ...valid, currency: "XXX" }), /currency must be equal to one of the allowed values/],
  [
    "unknown default_locale",
    create({ ...valid, default_locale: "fr" }),
    /default_locale must be equal to one of the allowed values/,
  ],
  [
    "expires_in_seconds above 86400",
    create({ ...valid, expires_in_seconds: 86_401 }),
    /expires_in_seconds must be <= 86400/,
  ],
  ["expires_in_seconds of 0", create({ ...valid, expires_in_seconds: 0 }), /expires_in_seconds must be >= 1/],
  [
    "payment mode without amount",
    create({ currency: "JPY", return_url: valid.return_url }),
    /required property 'amount'/,
  ],
  [
    "payment mode without currency",
    create({ amount: 1000, return_url: valid.return_url }),
    /required property 'currency'/,
  ],
  [
    "missing currency in customer mode",
    create({ mode: "customer", return_url: valid.return_url }),
    /required property 'currency'/,
  ],
  ["unknown top-level field", create({ ...valid, amonut: 1000 }), /must NOT have additional properties/],
  [
    "unknown field in payment_data",
    create({ ...valid, payment_data: { foo: "bar" } }),
    /payment_data must NOT have additional properties/,
  ],
  ["customer_id in payment mode", create({ ...valid, customer_id: "cus_1" }), /customer_id boolean schema is false/],
  ["unknown mode", create({ ...valid, mode: "subscription" }), /mode must be equal to one of the allowed values/],
  [
    "unknown payment type",
    create({ ...valid, payment_types: ["bitcoin"] }),
    /payment_types\.0 must be equal to one of the allowed values/,
  ],
  ["non-string metadata value", create({ ...valid, metadata: { n: 1 } }), /metadata\.n must be string/],
  ["return_url that is not a URL", create({ ...valid, return_url: "not a url" }), /return_url must match format "uri"/],
  ["malformed email", create({ ...valid, email: "not-an-email" }), /email must match format "email"/],
  ["line item with a zero quantity", create({ ...valid, line_items: [{ quantity: 0 }] }), /quantity must be >= 1/],
  ["pay without payment_details", pay({}), /required property 'payment_details'/],
  [
    "pay with a string that is not a token",
    pay({ payment_details: "4111111111111111" }),
    /payment_details must match exactly one schema in oneOf/,
  ],
  [
    "pay at a konbini that does not exist",
    pay({ payment_details: { type: "konbini", store: "7-eleven", email: "a@example.com" } }),
    /payment_details must match exactly one schema in oneOf/,
  ],
];

/** Requests whose Authorization header is replaced by the injected fetch before it leaves. */
const badAuth: [kind: string, authorization: string | null][] = [
  ["no Authorization header", null],
  ["a Bearer token instead of Basic", "Bearer sk_test_123"],
  ["Basic credentials that are not base64", "Basic !!!"],
  ["Basic credentials without the colon", `Basic ${btoa("sk_test_123")}`],
];

describe("invalid requests are refused, and the client surfaces a typed error", () => {
  it.each(invalidBodies)("%s", async (_kind, send, expected) => {
    const { client, last } = contractClient();
    const error = await send(client).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KomojuUnprocessableEntityError);
    expect((error as KomojuUnprocessableEntityError).status).toBe(422);
    const found = violationsOf((error as KomojuApiError).headers);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((v) => `${v.location.join("/")} ${v.message}`).join("\n")).toMatch(expected);
    expect(violationsOf(last().response.headers)).toEqual(found);
  });

  it.each(badAuth)("%s", async (_kind, authorization) => {
    const { client } = contractClient({
      fetch: (request) => {
        const headers = new Headers(request.headers);
        if (authorization === null) headers.delete("authorization");
        else headers.set("authorization", authorization);
        return fetch(new Request(request, { headers }));
      },
    });
    const error = await client.sessions.retrieve(sessionId).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KomojuAuthenticationError);
    expect((error as KomojuAuthenticationError).status).toBe(401);
    const [violation] = violationsOf((error as KomojuAuthenticationError).headers);
    expect(violation).toMatchObject({ code: 401, message: "Invalid security scheme used" });
  });

  it("an idempotency key over 100 characters never leaves the client", async () => {
    const { client, exchanges } = contractClient();
    await expect(client.sessions.create(valid as never, { idempotencyKey: "k".repeat(101) })).rejects.toMatchObject({
      name: "KomojuInvalidRequestError",
      code: "invalid_idempotency_key",
    });
    expect(exchanges).toHaveLength(0);
  });

  it("an empty session id never leaves the client", async () => {
    const { client, exchanges } = contractClient();
    for (const id of ["", "   "]) {
      await expect(client.sessions.retrieve(id)).rejects.toMatchObject({
        name: "KomojuInvalidRequestError",
        code: "invalid_path_parameter",
        param: "id",
      });
    }
    expect(exchanges).toHaveLength(0);
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});
