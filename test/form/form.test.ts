import qs from "qs";
import { describe, expect, it } from "vitest";
import { KomojuInvalidRequestError, toRackForm } from "../../src/index.js";

const decoded = (body: string) => decodeURIComponent(body.replace(/\+/g, " "));
/** How a Rack-style parser reads the body back: qs with Rack's limits, not its own small defaults. */
const parseLikeRack = (body: string) =>
  qs.parse(body, { depth: 100, arrayLimit: 1e6, parameterLimit: Infinity, plainObjects: true, allowPrototypes: true });

function refusal(body: unknown): KomojuInvalidRequestError {
  try {
    toRackForm(body);
  } catch (error) {
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(error).toMatchObject({ code: expect.stringMatching(/^invalid_(form_)?body$/) });
    return error as KomojuInvalidRequestError;
  }
  return expect.fail(`expected ${String(body)} to be refused`);
}

describe("toRackForm writes Rack's bracket style", () => {
  it("encodes the seed's cURL sample exactly as its -d arguments", () => {
    const body = toRackForm({
      default_locale: "ja",
      email: "test@example.com",
      metadata: { test: "value" },
      amount: 8888,
      currency: "JPY",
      payment_data: { external_order_num: "my_custom_order", name: "John", name_kana: "ジョン" },
      payment_types: ["credit_card", "konbini"],
      return_url: "https://example.com",
    });
    expect(decoded(body).split("&")).toEqual([
      "default_locale=ja",
      "email=test@example.com",
      "metadata[test]=value",
      "amount=8888",
      "currency=JPY",
      "payment_data[external_order_num]=my_custom_order",
      "payment_data[name]=John",
      "payment_data[name_kana]=ジョン",
      "payment_types[]=credit_card",
      "payment_types[]=konbini",
      "return_url=https://example.com",
    ]);
  });

  it("nests objects, escapes reserved characters and skips undefined, as JSON does", () => {
    const body = toRackForm({
      a: { b: { c: "x&y=z+ ;" } },
      skip: undefined,
      flag: true,
      n: -0,
      metadata: { keep: "1", drop: undefined },
    });
    expect(body).toBe("a%5Bb%5D%5Bc%5D=x%26y%3Dz%2B%20%3B&flag=true&n=0&metadata%5Bkeep%5D=1");
    expect(parseLikeRack(body)).toEqual({ a: { b: { c: "x&y=z+ ;" } }, flag: "true", n: "0", metadata: { keep: "1" } });
  });

  it("reads back the same through qs for keys with reserved characters and objects without a prototype", () => {
    const metadata = Object.assign(Object.create(null), {
      "a&b=c": "1",
      "%5B": "2",
      "x y+": "3",
      日本: "4",
      toString: "5",
    });
    expect(parseLikeRack(toRackForm({ metadata }))).toEqual({
      metadata: { "a&b=c": "1", "%5B": "2", "x y+": "3", 日本: "4", toString: "5" },
    });
  });
});

// Form encoding must never change meaning silently: each of these would otherwise send
// something Rack reads differently from the JSON body, or crash with a TypeError.
describe("toRackForm refuses what Rack would read differently", () => {
  class Order {
    amount = 1;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const getter = new Error("getter failed");

  it.each([
    [
      "payment_types: [] (nothing sent: KOMOJU would read every payment type)",
      { payment_types: [] },
      /empty list at payment_types/,
    ],
    ["an empty object (nothing sent)", { metadata: {} }, /empty object at metadata/],
    ["an object of undefineds (nothing sent)", { metadata: { a: undefined } }, /empty object at metadata/],
    ["a Date (vanished)", { expires_at: new Date(0) }, /a Date at body\.expires_at/],
    ["a Map (vanished)", { metadata: new Map([["a", "b"]]) }, /a Map at body\.metadata/],
    ["a Set", { payment_types: new Set(["konbini"]) }, /a Set at body\.payment_types/],
    ["a Headers instance", { headers: new Headers({ a: "b" }) }, /a Headers at body\.headers/],
    ["a URLSearchParams", { q: new URLSearchParams("a=b") }, /a URLSearchParams at body\.q/],
    ["a class instance", { order: new Order() }, /a Order at body\.order/],
    ["a boxed string (its indexes would be sent)", { name: new String("ab") }, /a String at body\.name/],
    ["a typed array", { bytes: new Uint8Array([1]) }, /a Uint8Array at body\.bytes/],
    ['metadata: {"": "x"} (Rack reads metadata[]=x as a list)', { metadata: { "": "x" } }, /the key "" in metadata/],
    ["an empty top-level key", { "": "x" }, /the key "" in the body/],
    ["a key with a bracket", { metadata: { "a[b]": "c" } }, /the key "a\[b\]" in metadata/],
    ["null (Rack reads a= as an empty string)", { customer: null }, /null at customer/],
    ["null inside an object", { metadata: { a: null } }, /null at metadata\[a\]/],
    ["null inside a list", { payment_types: ["konbini", null] }, /null at payment_types\[\]/],
    ["NaN (JSON sends null)", { amount: Number.NaN }, /NaN at body\.amount/],
    ["Infinity", { amount: Number.POSITIVE_INFINITY }, /Infinity at body\.amount/],
    ["-Infinity", { metadata: { n: Number.NEGATIVE_INFINITY } }, /-Infinity at body\.metadata\.n/],
    ["a BigInt (a TypeError before)", { amount: 10n }, /a bigint at body\.amount/],
    ["a symbol", { s: Symbol("x") }, /a symbol at body\.s/],
    ["a function", { f: () => 1 }, /a function at body\.f/],
    [
      "a hole in a list",
      { payment_types: Object.assign(new Array(3), { 0: "a", 2: "b" }) },
      /a list with holes or named entries at body\.payment_types/,
    ],
    [
      "undefined in a list (JSON sends null)",
      { payment_types: [undefined] },
      /a undefined at body\.payment_types\[0\]/,
    ],
    ["a list of objects", { line_items: [{ amount: 1 }] }, /nested list or object at line_items\[\]/],
    ["a list of lists", { a: [["x"]] }, /nested list or object at a\[\]/],
    ["nested lists of objects", { a: [[{ b: 1 }]] }, /nested list or object at a\[\]/],
    ["a cycle (a RangeError before)", { metadata: cyclic }, /nested too deep at body\.metadata(\.self)+ \(a cycle\?\)/],
    ["a lone surrogate in a value (it would become U+FFFD)", { name: "\ud800" }, /lone surrogate at body\.name/],
    ["a lone surrogate in a key", { metadata: { "\udc00": "x" } }, /lone surrogate/],
    ["a top-level array", [1, 2], /must be an object/],
    ["a top-level Date", new Date(0), /a form body must be an object/i],
    ["null as the body", null, /must be an object/],
  ])("%s", (_what, body, message) => {
    expect(refusal(body).message).toMatch(message);
  });

  it("nesting deeper than 32 levels, which Rack would refuse", () => {
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(refusal(deep).message).toMatch(/nested too deep/);
    let fine: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 30; i++) fine = { d: fine };
    expect(toRackForm(fine)).toMatch(/^d%5Bd%5D.*%5Bleaf%5D=x$/);
  });

  it("a throwing getter, with the getter's error as the cause (a raw throw before)", () => {
    const body = {
      get amount(): number {
        throw getter;
      },
    };
    const error = refusal(body);
    expect(error.message).toBe("Cannot form-encode the body: reading it threw.");
    expect(error.cause).toBe(getter);
  });

  it("a Proxy whose traps throw", () => {
    const body = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new TypeError("trap");
        },
      },
    );
    expect(refusal(body).cause).toBeInstanceOf(TypeError);
  });
});
