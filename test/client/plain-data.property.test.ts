// Any body TypeScript lets through is sent with every field the caller wrote, or refused
// before anything is sent, in both encodings.
import fc from "fast-check";
import { parse } from "qs";
import { describe, expect, it } from "vitest";
import { createKomojuClient, KomojuInvalidRequestError } from "../../src/index.js";

class Getters {
  get amount() {
    return 1000;
  }
}

/** Values that an encoder reading own enumerable properties would send as something else, or not at all. */
const hidden = fc.constantFrom<[string, () => unknown]>(
  ["a class instance", () => new Getters()],
  ["Object.create", () => Object.create({ amount: 1 })],
  ["a Map", () => new Map([["a", 1]])],
  ["a Set", () => new Set([1])],
  ["a Date", () => new Date(0)],
  ["a URLSearchParams", () => new URLSearchParams("a=b")],
  ["a boxed string", () => new String("x")],
  ["a typed array", () => new Uint8Array(2)],
  ["a hidden field", () => Object.defineProperty({}, "a", { value: 1, enumerable: false })],
  ["a symbol key", () => ({ [Symbol("a")]: 1 })],
  ["a toJSON", () => ({ a: 1, toJSON: () => ({}) })],
  ["a hole", () => Object.assign(new Array(2), { 1: 1 })],
  ["undefined in a list", () => [undefined]],
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["a BigInt", () => 10n],
  ["a function", () => () => 1],
  ["a lone surrogate", () => "\ud800"],
);

// Left out where qs, the reader here, differs from Rack: numeric keys (qs reads `a[0]=x`
// as a list, Rack as a hash) and Object.prototype's names (qs drops `toString[]=x`).
const key = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((k) => !/[[\]]/.test(k) && !/^\d+$/.test(k) && !(k in Object.prototype));
const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
const plain = fc.dictionary(
  key,
  fc.oneof(leaf, fc.array(leaf, { minLength: 1, maxLength: 4 }), fc.dictionary(key, leaf, { minKeys: 1, maxKeys: 3 })),
  { maxKeys: 5 },
);

/** What Rack reads back from a form of `value`: every leaf a string. */
function asForm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asForm);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asForm(v)]));
  return String(value);
}

describe("the body encoders send all of the caller's data or refuse it", () => {
  const answer = { id: "pay_1", resource: "payment" };

  for (const encoding of ["json", "form"] as const) {
    it(`${encoding}: a hidden value anywhere is refused with nothing sent; plain data arrives whole`, async () => {
      await fc.assert(
        fc.asyncProperty(plain, fc.option(hidden), fc.boolean(), key, async (body, trap, nested, at) => {
          const sent: string[] = [];
          const komoju = createKomojuClient({
            secretKey: "sk_test_property",
            encoding,
            maxRetries: 0,
            fetch: async (request) => {
              sent.push(await request.text());
              return new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } });
            },
          });
          const value = trap ? { ...body, [at]: nested ? { inner: trap[1]() } : trap[1]() } : body;
          const outcome = await komoju.payments.capture("pay_1", value as never).then(
            () => "sent" as const,
            (error: unknown) => error,
          );
          if (trap) {
            expect(outcome).toBeInstanceOf(KomojuInvalidRequestError);
            expect(sent).toEqual([]);
            return;
          }
          if (outcome !== "sent") {
            // Only Rack's own ambiguities (an empty object at `at`) may refuse plain data.
            expect(encoding).toBe("form");
            expect(outcome).toBeInstanceOf(KomojuInvalidRequestError);
            return;
          }
          expect(sent).toHaveLength(1);
          if (encoding === "json") expect(JSON.parse(sent[0]!)).toEqual(body);
          else expect(parse(sent[0]!, { depth: 10, arrayLimit: 100 })).toEqual(asForm(body));
        }),
        { numRuns: 150 },
      );
    });
  }
});
