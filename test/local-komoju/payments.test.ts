import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANDLERS } from "../../packages/komoju-local/src/simulation/index.js";
import type { Handler } from "../../packages/komoju-local/src/simulation/store.js";
import { validatorAt } from "../support/spec.js";
import { auth, call, type LocalKomoju, startLocalKomoju } from "./support.js";

let komoju: LocalKomoju;
beforeAll(async () => {
  komoju = await startLocalKomoju();
}, 60_000);
afterAll(() => komoju?.stop());

function expectSchema(name: string, value: unknown) {
  const validate = validatorAt(`#/components/schemas/${name}`);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

/** A payment made through a session: a card (captured, or authorized with manual capture) or konbini. */
async function payment(kind: "card" | "manual" | "konbini", amount = 1000) {
  const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", {
    amount,
    currency: "JPY",
    return_url: "https://e.example/r",
    payment_data: { capture: kind === "manual" ? "manual" : "auto", external_order_num: `order-${amount}` },
  });
  const details = kind === "konbini" ? { type: "konbini", store: "lawson", email: "t@example.com" } : "tok_abc";
  return (await call(komoju.url, "POST", `/api/v1/sessions/${session.id}/pay`, { payment_details: details })).body
    .payment;
}

describe("payments", { timeout: 30_000 }, () => {
  it("retrieve returns the session's payment; unknown ids 404", async () => {
    const made = await payment("card");
    const found = await call(komoju.url, "GET", `/api/v1/payments/${made.id}`);
    expect(found.status).toBe(200);
    expectSchema("Payment", found.body);
    expect(found.body).toEqual(made);
    expect((await call(komoju.url, "GET", "/api/v1/payments/zzzzzzzzzzzzzzzzzzzzzzzzz")).body.error.code).toBe(
      "not_found",
    );
  });

  it("create makes a payment from a token, card or konbini details, or a saved customer; a declined card is a 502", async () => {
    const token = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 1200,
      currency: "JPY",
      payment_details: "tok_abc",
      external_order_num: "direct-1",
      metadata: { a: "b" },
    });
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expectSchema("Payment", token.body);
    expect(token.body).toMatchObject({
      status: "captured",
      amount: 1200,
      external_order_num: "direct-1",
      metadata: { a: "b" },
      session: null,
    });
    const manual = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 500,
      currency: "JPY",
      capture: false,
      payment_details: { type: "credit_card", number: "4111111111111111", month: 1, year: 2031 },
    });
    expect(manual.body).toMatchObject({ status: "authorized", payment_details: { last_four_digits: "1111" } });
    const konbini = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 500,
      currency: "JPY",
      payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
    });
    expect(konbini.body).toMatchObject({ status: "authorized", payment_details: { type: "konbini", store: "lawson" } });
    const declined = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 500,
      currency: "JPY",
      payment_details: { type: "credit_card", number: "4123111111111059", month: 1, year: 2031 },
    });
    expect(declined.status).toBe(502);
    expect(declined.body.error.code).toBe("card_declined");

    const customer = await call(komoju.url, "POST", "/api/v1/customers", {
      email: "c@example.com",
      payment_details: "tok_saved",
    });
    const charged = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 900,
      currency: "JPY",
      customer: customer.body.id,
    });
    expect(charged.body).toMatchObject({
      status: "captured",
      customer: customer.body.id,
      payment_details: { type: "credit_card", brand: customer.body.source.brand },
    });
    const unknown = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 900,
      currency: "JPY",
      customer: "nobody",
    });
    expect(unknown.status).toBe(404);
  });

  it("capture takes all or part of a card authorization, once", async () => {
    const whole = await payment("manual");
    const captured = await call(komoju.url, "POST", `/api/v1/payments/${whole.id}/capture`);
    expect(captured.body).toMatchObject({ status: "captured", amount: 1000 });
    const twice = await call(komoju.url, "POST", `/api/v1/payments/${whole.id}/capture`);
    expect(twice.status).toBe(422);
    expect(twice.body.error.code).toBe("not_capturable");

    const part = await payment("manual", 2000);
    expect(
      (await call(komoju.url, "POST", `/api/v1/payments/${part.id}/capture`, { amount: 1500 })).body,
    ).toMatchObject({ status: "captured", amount: 1500, total: 1500 });
    const konbini = await payment("konbini");
    expect((await call(komoju.url, "POST", `/api/v1/payments/${konbini.id}/capture`)).body.error.code).toBe(
      "not_capturable",
    );
  });

  it("refund: partial keeps the payment captured with refunds[], the rest makes it refunded, more is refused", async () => {
    const made = await payment("card", 1000);
    const partial = await call(komoju.url, "POST", `/api/v1/payments/${made.id}/refund`, {
      amount: 400,
      description: "One item back",
    });
    expectSchema("Payment", partial.body);
    expect(partial.body).toMatchObject({
      status: "captured",
      amount_refunded: 400,
      refunds: [{ amount: 400, payment: made.id, description: "One item back" }],
    });
    const rest = await call(komoju.url, "POST", `/api/v1/payments/${made.id}/refund`);
    expect(rest.body).toMatchObject({ status: "refunded", amount_refunded: 1000 });
    expect(rest.body.refunds.map((r: { amount: number }) => r.amount)).toEqual([400, 600]);
    const more = await call(komoju.url, "POST", `/api/v1/payments/${made.id}/refund`, { amount: 1 });
    expect(more.status).toBe(422);
    expect(more.body.error.code).toBe("not_refundable");
  });

  it("cancel voids an authorization, not a capture", async () => {
    const authorized = await payment("manual");
    expect((await call(komoju.url, "POST", `/api/v1/payments/${authorized.id}/cancel`)).body.status).toBe("cancelled");
    const captured = await payment("card");
    const refused = await call(komoju.url, "POST", `/api/v1/payments/${captured.id}/cancel`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("not_cancellable");
  });

  it("update changes description and metadata", async () => {
    const made = await payment("card");
    const updated = await call(komoju.url, "PATCH", `/api/v1/payments/${made.id}`, {
      description: "Gift wrapped",
      metadata: { note: "x" },
    });
    expect(updated.body).toMatchObject({ id: made.id, description: "Gift wrapped", metadata: { note: "x" } });
  });

  it("list pages newest first and filters by status and order number", async () => {
    const konbini = await payment("konbini", 777);
    const page = await call(komoju.url, "GET", "/api/v1/payments?per_page=2&page=1");
    expectSchema("PaymentList", page.body);
    expect(page.body).toMatchObject({ resource: "list", page: 1, per_page: 2 });
    expect(page.body.data).toHaveLength(2);
    expect(page.body.data[0].id).toBe(konbini.id);
    expect(page.body.last_page).toBe(Math.ceil(page.body.total / 2));
    const authorized = await call(komoju.url, "GET", "/api/v1/payments?status=authorized&external_order_num=order-777");
    expect(authorized.body.data.map((p: { id: string }) => p.id)).toEqual([konbini.id]);
  });

  it("every change is an event, listed by GET /events and shown by GET /events/{id}", async () => {
    const made = await payment("manual", 3000);
    await call(komoju.url, "POST", `/api/v1/payments/${made.id}/capture`);
    await call(komoju.url, "POST", `/api/v1/payments/${made.id}/refund`);
    const events = await call(komoju.url, "GET", "/api/v1/events?per_page=50");
    expectSchema("EventList", events.body);
    const mine = events.body.data.filter((e: { data: { id: string } }) => e.data.id === made.id);
    expect(mine.map((e: { type: string }) => e.type)).toEqual([
      "payment.refunded",
      "payment.refund.created",
      "payment.captured",
      "payment.authorized",
    ]);
    const one = await call(komoju.url, "GET", `/api/v1/events/${mine[0].id}`);
    expect(one.body).toEqual(mine[0]);
  });
});

describe("customers", { timeout: 30_000 }, () => {
  it("create saves the masked card, list leaves it out, update and delete change and forget, each with its event", async () => {
    const created = await call(komoju.url, "POST", "/api/v1/customers", {
      email: "hanako@example.com",
      metadata: { user: "7" },
      payment_details: { type: "credit_card", number: "3530 1113 3330 0000", month: "08", year: "30" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expectSchema("Customer", created.body);
    expect(created.body).toMatchObject({
      resource: "customer",
      email: "hanako@example.com",
      metadata: { user: "7" },
      source: { brand: "jcb", last_four_digits: "0000", month: 8, year: 2030 },
    });
    expect(JSON.stringify(created.body)).not.toContain("3530");

    const listed = await call(komoju.url, "GET", "/api/v1/customers");
    expectSchema("CustomerList", listed.body);
    expect(listed.body.data[0]).toMatchObject({ id: created.body.id, source: null });

    const updated = await call(komoju.url, "PATCH", `/api/v1/customers/${created.body.id}`, {
      email: "new@example.com",
    });
    expect(updated.body).toMatchObject({ email: "new@example.com", source: { brand: "jcb" } });
    expect((await call(komoju.url, "GET", `/api/v1/customers/${created.body.id}`)).body.email).toBe("new@example.com");
    expect((await call(komoju.url, "DELETE", `/api/v1/customers/${created.body.id}`)).body.id).toBe(created.body.id);
    expect((await call(komoju.url, "GET", `/api/v1/customers/${created.body.id}`)).status).toBe(404);

    const events = await call(komoju.url, "GET", "/api/v1/events?per_page=100");
    expect(
      events.body.data
        .filter((e: { data: { id: string } }) => e.data.id === created.body.id)
        .map((e: { type: string }) => e.type),
    ).toEqual(["customer.deleted", "customer.updated", "customer.created"]);
  });
});

describe("money moves only as the caller asked", { timeout: 30_000 }, () => {
  it("a customer without a saved card is not charged: refused, and no payment, event or webhook is left (a null card used to be stored as captured, once per retry)", async () => {
    const customer = await call(komoju.url, "POST", "/api/v1/customers", { email: "nocard@example.com" });
    expect(customer.body.source).toBeNull();
    const payments = komoju.komoju.payments.size;
    const events = komoju.komoju.events.size;
    const charged = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 900,
      currency: "JPY",
      customer: customer.body.id,
    });
    expect(charged.status).toBe(422);
    expect(charged.body.error).toMatchObject({ code: "invalid_parameter", param: "customer" });
    expect(komoju.komoju.payments.size).toBe(payments);
    expect(komoju.komoju.events.size).toBe(events);
  });

  /** Runs `during` with the simulator's `operationId` answering what `wrap` makes of the real handler's answer. */
  async function withHandler(operationId: string, wrap: (real: Handler) => Handler, during: () => Promise<void>) {
    const real = HANDLERS[operationId]!;
    HANDLERS[operationId] = wrap(real);
    try {
      await during();
    } finally {
      HANDLERS[operationId] = real;
    }
  }

  /** Every event held, whatever collection holds them. */
  const events = () => [...komoju.komoju.events.values()] as { type: string; data: { id?: string } }[];

  it("an answer the spec refuses changes nothing, for any handler: a capture or create whose answer breaks the spec, or a handler that throws after changing a payment, leaves no payment, capture or event, however often the client retries (one failed call used to leave 3 captured payments)", async () => {
    const authorized = await payment("manual", 2100);
    const held = { payments: komoju.komoju.payments.size, events: events().length };
    const brokenAnswer = (real: Handler): Handler => ({
      run: (state, request) => ({ ...real.run(state, request), status: "not-a-status" }),
    });
    await withHandler("capturePayment", brokenAnswer, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const captured = await call(komoju.url, "POST", `/api/v1/payments/${authorized.id}/capture`);
        expect(captured.status).toBe(500);
        expect(captured.body.error.code).toBe("internal_server_error");
      }
    });
    await withHandler("createPayment", brokenAnswer, async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const body = { amount: 700, currency: "JPY", payment_details: "tok_abc" };
        expect((await call(komoju.url, "POST", "/api/v1/payments", body)).status).toBe(500);
      }
    });
    const throwing = (real: Handler): Handler => ({
      run: (state, request) => {
        real.run(state, request);
        throw new Error("a simulator bug after the change");
      },
    });
    await withHandler("capturePayment", throwing, async () => {
      expect((await call(komoju.url, "POST", `/api/v1/payments/${authorized.id}/capture`)).status).toBe(500);
    });
    expect((await call(komoju.url, "GET", `/api/v1/payments/${authorized.id}`)).body.status).toBe("authorized");
    expect(komoju.komoju.payments.size).toBe(held.payments);
    expect(events().length).toBe(held.events);
    // The same calls, answered as the spec says, change what they should.
    const captured = await call(komoju.url, "POST", `/api/v1/payments/${authorized.id}/capture`);
    expect(captured.body.status).toBe("captured");
    expect(events().filter((e) => e.type === "payment.captured" && e.data.id === authorized.id)).toHaveLength(1);
  });
});

describe("what it holds is capped in bytes", { timeout: 60_000 }, () => {
  /** The JSON size of everything a store holds, measured here rather than taken from it. */
  function measured(store: LocalKomoju["komoju"]): number {
    const held = [store.sessions, store.sessionStates, store.payments, store.customers, store.events] as {
      values(): Iterable<unknown>;
    }[];
    let bytes = 0;
    for (const records of held)
      for (const record of records.values()) bytes += Buffer.byteLength(JSON.stringify(record));
    return bytes;
  }

  /** A metadata of `keys` keys of 30 characters, each value 2,000 kanji: the most KOMOJU takes per key. */
  const bigMetadata = (keys: number, salt: string) =>
    Object.fromEntries(
      Array.from({ length: keys }, (_, i) => [
        `${salt}${String(i).padStart(30 - salt.length, "0")}`,
        "金".repeat(2000),
      ]),
    );

  it("PATCHes of one payment with the largest metadata stay under the held-bytes budget, the least recently stored forgotten first and the newest kept (each PATCH held a deep copy in its event: 60 PATCHes held 55 MiB, and 10,000 events allowed 9 GiB)", async () => {
    const budget = 2 * 1024 * 1024;
    const small = await startLocalKomoju({ maxHeldBytes: budget });
    try {
      const { body: created } = await call(small.url, "POST", "/api/v1/payments", {
        amount: 1000,
        currency: "JPY",
        payment_details: "tok_abc",
      });
      let last = "";
      for (let patch = 0; patch < 24; patch++) {
        last = `p${patch}`;
        const updated = await call(small.url, "PATCH", `/api/v1/payments/${created.id}`, {
          metadata: bigMetadata(50, last),
        });
        expect(updated.status).toBe(200);
        expect(measured(small.komoju)).toBeLessThanOrEqual(budget);
      }
      expect(small.komoju.heldBytes).toBe(measured(small.komoju));
      const { body: newest } = await call(small.url, "GET", `/api/v1/payments/${created.id}`);
      expect(Object.keys(newest.metadata)[0]).toMatch(new RegExp(`^${last}0`));
      const { body: events } = await call(small.url, "GET", "/api/v1/events?per_page=1");
      expect(events.data[0]).toMatchObject({ type: "payment.updated", data: { id: created.id } });
      expect(Object.keys(events.data[0].data.metadata)[0]).toMatch(new RegExp(`^${last}0`));
    } finally {
      await small.stop();
    }
  });

  it("a metadata over KOMOJU's limits is refused, nothing stored: 51 keys (the local bound) as a key of 31 characters or a value of 2,001 (the spec's), 422 invalid_parameter naming it", async () => {
    const before = komoju.komoju.payments.size;
    const { body: payment } = await call(komoju.url, "POST", "/api/v1/payments", {
      amount: 1000,
      currency: "JPY",
      payment_details: "tok_abc",
    });
    const refusals: [string, string, Record<string, unknown>][] = [
      ["POST", "/api/v1/sessions", { amount: 1000, currency: "JPY", return_url: "https://e.example/r" }],
      ["POST", "/api/v1/payments", { amount: 1000, currency: "JPY", payment_details: "tok_abc" }],
      ["PATCH", `/api/v1/payments/${payment.id}`, {}],
      ["POST", "/api/v1/customers", { email: "meta@example.com" }],
    ];
    for (const [method, path, body] of refusals) {
      const tooMany = await call(komoju.url, method, path, { ...body, metadata: bigMetadata(51, "k") });
      expect(tooMany.status, path).toBe(422);
      expect(tooMany.body.error, path).toMatchObject({ code: "invalid_parameter", param: "metadata" });
      const longValue = await call(komoju.url, method, path, { ...body, metadata: { order: "x".repeat(2001) } });
      expect(longValue.status, path).toBe(422);
      expect(longValue.body.error.code, path).toBe("invalid_parameter");
      const longKey = await call(komoju.url, method, path, { ...body, metadata: { ["k".repeat(31)]: "x" } });
      expect(longKey.status, path).toBe(422);
      expect(longKey.body.error.code, path).toBe("invalid_parameter");
      const most = await call(komoju.url, method, path, { ...body, metadata: bigMetadata(50, "k") });
      expect(most.status, path).toBe(200);
    }
    expect(komoju.komoju.payments.size).toBe(before + 2);
    const { body: unchanged } = await call(komoju.url, "GET", `/api/v1/payments/${payment.id}`);
    expect(Object.keys(unchanged.metadata)).toHaveLength(50);
  });
});

describe("refund requests: konbini, bank transfer and Pay-easy are refunded by request, not directly", {
  timeout: 30_000,
}, () => {
  const bankAccount = {
    amount: 400,
    customer_name: "ﾔﾏﾀﾞ ﾀﾛｳ",
    bank_name: "みずほ銀行",
    bank_code: "0001",
    branch_number: "001",
    account_type: "normal",
    account_number: 12345,
    include_payment_method_fee: false,
  };

  /** A konbini payment the customer paid at the store (captured). */
  async function paidKonbini(amount = 1000) {
    const paid = await payment("konbini", amount);
    expect((await call(komoju.url, "POST", `/_local/payments/${paid.id}/capture`)).status).toBe(200);
    return paid.id as string;
  }

  const eventsOf = async (id: string) =>
    (await call(komoju.url, "GET", "/api/v1/events?per_page=100")).body.data.filter(
      (event: { data: { id?: string; payment?: string } }) => event.data.id === id || event.data.payment === id,
    );

  it("a direct refund of a paid konbini payment is refused (422 not_refundable, param null) and changes nothing (it used to refund it)", async () => {
    const id = await paidKonbini();
    const eventsBefore = (await eventsOf(id)).length;
    for (const body of [undefined, { amount: 100 }]) {
      const refused = await call(komoju.url, "POST", `/api/v1/payments/${id}/refund`, body);
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "not_refundable", param: null });
      expect(refused.body.error.message).toMatch(/refund_request/);
    }
    const { body: unchanged } = await call(komoju.url, "GET", `/api/v1/payments/${id}`);
    expect(unchanged).toMatchObject({ status: "captured", amount_refunded: 0, refunds: [] });
    expect(await eventsOf(id)).toHaveLength(eventsBefore);
  });

  it("a refund request (it was 404 'not simulated') answers 204 without a body, is stored pending on the payment's refund_requests as the spec's RefundRequest, with its refund_request.updated event, and moves no money", async () => {
    const id = await paidKonbini();
    const response = await fetch(new URL(`/api/v1/payments/${id}/refund_request`, komoju.url), {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify(bankAccount),
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    const { body: after } = await call(komoju.url, "GET", `/api/v1/payments/${id}`);
    expectSchema("Payment", after);
    expect(after).toMatchObject({ status: "captured", amount_refunded: 0, refunds: [] });
    expect(after.refund_requests).toHaveLength(1);
    expect(after.refund_requests[0]).toMatchObject({
      payment: id,
      customer_name: "ﾔﾏﾀﾞ ﾀﾛｳ",
      bank_code: "0001",
      branch_name: null,
      branch_number: "001",
      account_number: "0012345",
      status: "pending",
    });
    expectSchema("RefundRequest", after.refund_requests[0]);
    const [event] = await eventsOf(id);
    expect(event).toMatchObject({ type: "refund_request.updated", data: { id: after.refund_requests[0].id } });
    expectSchema("Event", event);
  });

  it("a refund request is refused for a card payment (refunded directly), an unpaid konbini payment, or more than was paid, and stores nothing", async () => {
    const card = await payment("card");
    const unpaid = await payment("konbini");
    const paid = await paidKonbini(300);
    for (const [id, code, param] of [
      [card.id, "not_refundable", null],
      [unpaid.id, "not_refundable", null],
      [paid, "invalid_parameter", "amount"],
    ] as const) {
      const refused = await call(komoju.url, "POST", `/api/v1/payments/${id}/refund_request`, bankAccount);
      expect(refused.status, id).toBe(422);
      expect(refused.body.error, id).toMatchObject({ code, param });
      expect((await call(komoju.url, "GET", `/api/v1/payments/${id}`)).body.refund_requests, id).toEqual([]);
    }
  });
});
