import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SessionCreateRequest } from "../src/index.js";
import { schemaValidator, spec, violations } from "../test/support/spec.js";
import { formViolations } from "./support/form-check.js";
import { contractClient, violationsOf } from "./support/target.js";

const enumOf = (name: string) => (spec.components.schemas[name] as { enum: string[] }).enum;
const VALID_RUNS = 300;
const INVALID_RUNS = 120;
// Bodies go to Prism in concurrent batches: a batch is one fast-check run, so a
// failure still shrinks to the smallest failing batch and body.
const BATCH = 10;

const japanese = fc.string({
  unit: fc.constantFrom(..."あいうえおかきくけこカタカナヤマダ山田太郎花子抹茶注文ー・ abcXYZ0129-_"),
  minLength: 1,
  maxLength: 20,
});
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,9}$/);
const returnUrl = fc
  .tuple(
    fc.constantFrom("example.com", "shop.example.jp", "127.0.0.1:3000"),
    fc.array(slug, { maxLength: 3 }),
    fc.option(slug, { nil: undefined }),
  )
  .map(([host, path, query]) => `https://${host}/${path.join("/")}${query ? `?order=${query}` : ""}`);
const email = fc
  .tuple(slug, fc.constantFrom("example.com", "example.co.jp"))
  .map(([user, domain]) => `${user}@${domain}`);
// Metadata keys may be Japanese but never contain brackets, which form encoding
// cannot carry. Digit-only keys are left out too: Rack reads `metadata[3]` as the key
// "3", but qs, the parser the wire check uses, reads it as a list index.
const metadataKey = fc
  .string({ unit: fc.constantFrom(..."abcdefgxyz_-.注文番号カート 0123"), minLength: 1, maxLength: 30 })
  .filter((key) => !/^\d+$/.test(key));

const common = {
  amount: fc.integer({ min: 0, max: 99_999_999 }),
  currency: fc.constantFrom(...enumOf("Currency")),
  return_url: returnUrl,
  email,
  external_customer_id: slug,
  expires_in_seconds: fc.integer({ min: 1, max: 86_400 }),
  metadata: fc.dictionary(metadataKey, fc.oneof(japanese, fc.constant("")), { maxKeys: 4 }),
  payment_types: fc.uniqueArray(fc.constantFrom(...enumOf("PaymentType")), { minLength: 1, maxLength: 5 }),
  default_locale: fc.constantFrom(...enumOf("Locale")),
  payment_data: fc.record(
    { capture: fc.constantFrom("auto", "manual"), external_order_num: slug, name: japanese, name_kana: japanese },
    { requiredKeys: [] },
  ),
};
const required = ["amount", "currency", "return_url"] as const;

/** A form body has no way to say `{}` or `[]` (the client refuses to send them), so form bodies leave them out. */
function formRepresentable(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value)
    .map(([key, child]) => [key, formRepresentable(child)] as const)
    .filter(([, child]) => !(child !== null && typeof child === "object" && Object.keys(child).length === 0));
  return Array.isArray(value) ? entries.map(([, child]) => child) : Object.fromEntries(entries);
}

/** Valid bodies in every mode, every optional field present or absent. */
const validBody: fc.Arbitrary<SessionCreateRequest> = fc.oneof(
  fc.record({ ...common, mode: fc.constant("payment" as const) }, { requiredKeys: [...required] }),
  fc.record(
    { ...common, mode: fc.constant("customer" as const), customer_id: slug },
    { requiredKeys: [...required, "mode"] },
  ),
  fc.record(
    { ...common, mode: fc.constant("customer_payment" as const), customer_id: slug },
    { requiredKeys: [...required, "mode"] },
  ),
) as fc.Arbitrary<SessionCreateRequest>;

/** One way to break a valid body, each a fault the spec refuses. */
const mutations: [string, (body: Record<string, unknown>) => Record<string, unknown>][] = [
  ["amount as a decimal string", (b) => ({ ...b, amount: `${b.amount}.5` })],
  ["negative amount", (b) => ({ ...b, amount: -1 - Number(b.amount) })],
  ["fractional amount", (b) => ({ ...b, amount: Number(b.amount) + 0.5 })],
  ["unknown currency", (b) => ({ ...b, currency: "XXX" })],
  ["no currency", ({ currency: _, ...b }) => b],
  // Customer mode may omit the amount (SDK 1.0.0), so the fault is made outside it.
  [
    "no amount outside customer mode",
    ({ amount: _, ...b }) => (b.mode === "customer" ? { ...b, mode: "customer_payment" } : b),
  ],
  ["unknown field", (b) => ({ ...b, surprise: true })],
  ["unknown locale", (b) => ({ ...b, default_locale: "fr" })],
  ["expiry above 24 hours", (b) => ({ ...b, expires_in_seconds: 86_401 })],
  ["unknown payment type", (b) => ({ ...b, payment_types: ["bitcoin"] })],
  ["non-string metadata", (b) => ({ ...b, metadata: { n: 1 } })],
  ["unknown mode", (b) => ({ ...b, mode: "subscription" })],
  ["customer_id in payment mode", (b) => ({ ...b, mode: "payment", customer_id: "cus_1" })],
];

// Hundreds of requests per test: on a loaded 2-core machine they need more than the suite's 20 s.
describe("property-based contract tests", { timeout: 60_000 }, () => {
  it(`${VALID_RUNS} generated valid bodies, JSON and form: 0 violations from Prism, Ajv and the wire check`, async () => {
    const createRequest = schemaValidator("SessionCreateRequest");
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(validBody, fc.boolean()), { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          await Promise.all(
            batch.map(async ([generated, asForm]) => {
              const body = (asForm ? formRepresentable(generated) : generated) as SessionCreateRequest;
              expect(violations(createRequest, body)).toEqual([]);
              const { client, last } = contractClient({ encoding: asForm ? "form" : "json" });
              await client.sessions.create(body);
              sent++;
              expect(last().response.status).toBe(200);
              expect(violationsOf(last().response.headers)).toEqual([]);
              if (asForm) {
                const wire = formViolations(last().body, "SessionCreateRequest");
                expect(wire.violations).toEqual([]);
                // Rack reads the amount as digits, which is a valid Amount as it stands.
                expect(wire.parsed).toEqual({ ...body, amount: String(body.amount) });
              }
            }),
          );
        },
      ),
      { numRuns: VALID_RUNS / BATCH },
    );
    expect(sent).toBe(VALID_RUNS);
  });

  it(`${INVALID_RUNS} generated invalid mutations: every one refused by Prism and by Ajv`, async () => {
    const createRequest = schemaValidator("SessionCreateRequest");
    const seen = new Set<string>();
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(validBody, fc.constantFrom(...mutations)), { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          await Promise.all(
            batch.map(async ([body, [name, mutate]]) => {
              seen.add(name);
              const invalid = mutate(body as Record<string, unknown>);
              expect(violations(createRequest, invalid)).not.toEqual([]);
              const { client } = contractClient();
              const error = await client.sessions.create(invalid as never).then(
                () => undefined,
                (e: { status?: number; headers?: Headers }) => e,
              );
              expect(error?.status).toBe(422);
              expect(violationsOf(error?.headers).length).toBeGreaterThan(0);
              refused++;
            }),
          );
        },
      ),
      { numRuns: INVALID_RUNS / BATCH },
    );
    expect(refused).toBe(INVALID_RUNS);
    expect(seen.size).toBe(mutations.length);
  });
});
