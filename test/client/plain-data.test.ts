// A body or query is sent exactly as the caller wrote it, or refused before anything is
// sent: an empty capture or refund body means "all of it", and a list without its filter
// means every payment.
import { describe, expect, it } from "vitest";
import { KomojuInvalidRequestError, type PaymentRefundRequest } from "../../src/index.js";
import { json } from "../support/loopback.js";
import { failure, ID, useLoopback } from "./harness.js";

/** What TypeScript accepts as a PaymentCaptureRequest: a class whose fields are getters on its prototype. */
class Amount {
  #value: number;
  constructor(value: number) {
    this.#value = value;
  }
  get amount() {
    return this.#value;
  }
}

class OrderFilter {
  get external_order_num() {
    return "order-A";
  }
}

const payment = { id: ID, resource: "payment", amount: 10000, status: "captured" };

describe("a body is sent as written or refused", () => {
  const loopback = useLoopback();

  const bodies: [string, () => unknown][] = [
    ["a class instance whose fields are getters (capture 1,000 of 10,000)", () => new Amount(1000)],
    ["Object.create(defaults)", () => Object.create({ amount: 500 })],
    ["a Map", () => new Map([["amount", 500]])],
    ["a field that is not enumerable", () => Object.defineProperty({}, "amount", { value: 500, enumerable: false })],
    ["a symbol-keyed field", () => ({ [Symbol("amount")]: 500 })],
    ["an own toJSON that rewrites the body", () => ({ amount: 500, toJSON: () => ({}) })],
    ["a nested class instance", () => ({ amount: 500, metadata: new Amount(1) })],
    ["a list with a hole", () => ({ amount: 500, payment_types: Object.assign(new Array(2), { 1: "konbini" }) })],
  ];

  for (const encoding of ["json", "form"] as const) {
    it.each(bodies)(`%s: refused in ${encoding}, by the resource method and the raw method`, async (_what, body) => {
      loopback.server.answer = () => json(200, payment);
      const komoju = loopback.client({ encoding });
      for (const call of [
        () => komoju.payments.capture(ID, body() as never),
        () => komoju.payments.refund(ID, body() as PaymentRefundRequest),
        () => komoju.POST("/api/v1/payments/{id}/capture", { params: { path: { id: ID } }, body: body() as never }),
      ]) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(KomojuInvalidRequestError);
        expect(error.code).toMatch(/^invalid_(body|form_body)$/);
      }
      expect(loopback.server.received).toEqual([]);
    });
  }

  it("an object literal with getters is read and sent in full", async () => {
    loopback.server.answer = () => json(200, payment);
    const body = {
      get amount() {
        return 1000;
      },
    };
    await loopback.client().payments.capture(ID, body);
    expect(JSON.parse(loopback.server.received[0]!.body)).toEqual({ amount: 1000 });
  });
});

describe("a list filter is sent as written or refused", () => {
  const loopback = useLoopback();
  const page = { resource: "list", data: [], total: 0, page: 1, per_page: 10, last_page: 1 };

  it.each<[string, () => unknown]>([
    ["a class whose fields are getters", () => new OrderFilter()],
    ["a URLSearchParams", () => new URLSearchParams({ external_order_num: "order-A" })],
    ["a Map", () => new Map([["external_order_num", "order-A"]])],
    ["Object.create(filter)", () => Object.create({ external_order_num: "order-A" })],
  ])("%s is refused, never sent as no filter at all", async (_what, query) => {
    loopback.server.answer = () => json(200, page);
    const komoju = loopback.client();
    for (const call of [
      () => komoju.payments.list(query() as never),
      () => komoju.GET("/api/v1/payments", { params: { query: query() as never } }),
    ]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code).toBe("invalid_query");
    }
    expect(loopback.server.received).toEqual([]);
  });

  it("an object literal filter reaches the query string", async () => {
    loopback.server.answer = () => json(200, page);
    await loopback.client().payments.list({ external_order_num: "order-A" });
    expect(loopback.server.received[0]!.path).toBe("/api/v1/payments?external_order_num=order-A");
  });
});
