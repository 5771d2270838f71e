import { describe, expect, it } from "vitest";
import { KomojuInvalidRequestError, toRackForm } from "../src/index.js";

const decoded = (body: string) => decodeURIComponent(body.replace(/\+/g, " "));

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

  it("nests objects, escapes reserved characters, skips undefined and sends null empty", () => {
    const body = toRackForm({ a: { b: { c: "x&y=z" } }, skip: undefined, none: null, flag: true });
    expect(body).toBe("a%5Bb%5D%5Bc%5D=x%26y%3Dz&none=&flag=true");
  });

  it.each([
    ["a list of objects", { line_items: [{ amount: 1 }] }, /list of objects/],
    ["a key with a bracket", { metadata: { "a[b]": "c" } }, /bracket/],
    ["a function", { f: () => 1 }, /Cannot form-encode a function at f/],
    ["a top-level array", [1, 2], /must be an object/],
  ])("refuses %s with a typed error", (_what, body, message) => {
    expect(() => toRackForm(body)).toThrow(KomojuInvalidRequestError);
    expect(() => toRackForm(body)).toThrow(message);
  });
});
