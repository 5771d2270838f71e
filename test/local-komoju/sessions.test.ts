import { connect } from "node:net";
import { createKomojuClient } from "komoju-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatorAt } from "../support/spec.js";
import { auth, call, type LocalKomoju, startLocalKomoju } from "./support.js";

let komoju: LocalKomoju;
beforeAll(async () => {
  komoju = await startLocalKomoju({ maxSessions: 5 });
}, 60_000);
afterAll(async () => {
  await komoju?.stop();
  await expect(fetch(komoju.url)).rejects.toThrow();
});

/** Independent of Prism: the spec's schemas, checked with Ajv. */
function expectSchema(name: string, value: unknown) {
  const validate = validatorAt(`#/components/schemas/${name}`);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
}

const create = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  call(komoju.url, "POST", "/api/v1/sessions", body, headers);
const pay = (id: string, body: Record<string, unknown>) => call(komoju.url, "POST", `/api/v1/sessions/${id}/pay`, body);

describe("sessions", { timeout: 30_000 }, () => {
  it("the spec's session examples exist from the start, their session_url on the local host (they are the oldest, so the first evicted)", async () => {
    const seeded = await call(komoju.url, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv");
    expect(seeded.status).toBe(200);
    expect(seeded.body).toMatchObject({
      id: "1kv31jmdp5zweqlr2l2odr8wv",
      resource: "session",
      session_url: `${komoju.url}/sessions/1kv31jmdp5zweqlr2l2odr8wv`,
    });
  });

  it("create echoes what was sent, with a new 25-character id and a session_url on the local host", async () => {
    const sent = {
      amount: 1234,
      currency: "USD",
      return_url: "https://shop.example/return?order=7",
      payment_types: ["credit_card", "konbini"],
      metadata: { order_id: "7" },
      email: "taro@example.com",
      default_locale: "en",
      line_items: [{ description: "Tea", amount: 1234, quantity: 1 }],
    };
    const first = await create(sent);
    const second = await create(sent);
    expect(first.status).toBe(200);
    expectSchema("Session", first.body);
    expect(first.body).toMatchObject({
      resource: "session",
      mode: "payment",
      status: "pending",
      payment: null,
      amount: 1234,
      currency: "USD",
      return_url: sent.return_url,
      metadata: sent.metadata,
      email: sent.email,
      default_locale: "en",
      line_items: sent.line_items,
      payment_methods: [{ type: "credit_card" }, { type: "konbini" }],
    });
    expect(first.body.id).toMatch(/^[a-z0-9]{25}$/);
    expect(second.body.id).not.toBe(first.body.id);
    expect(first.body.session_url).toBe(`${komoju.url}/sessions/${first.body.id}`);

    const retrieved = await call(komoju.url, "GET", `/api/v1/sessions/${first.body.id}`);
    expect(retrieved.status).toBe(200);
    expect(retrieved.body).toEqual(first.body);
  });

  it("reads form bodies as KOMOJU does, amount and nested fields included", async () => {
    const response = await fetch(`${komoju.url}/api/v1/sessions`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/x-www-form-urlencoded" },
      body: "amount=2500&currency=JPY&return_url=https%3A%2F%2Fe.example%2Fr&payment_types[]=konbini&metadata[k]=v&payment_data[capture]=manual",
    });
    const session = await response.json();
    expect(response.status).toBe(200);
    expect(session).toMatchObject({
      amount: 2500,
      payment_methods: [{ type: "konbini" }],
      metadata: { k: "v" },
      payment_data: { capture: "manual" },
    });
  });

  it("cancel turns a pending session cancelled, and a cancelled one cannot be paid", async () => {
    const { body: session } = await create({ amount: 100, currency: "JPY", return_url: "https://e.example/r" });
    const cancelled = await call(komoju.url, "POST", `/api/v1/sessions/${session.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expectSchema("Session", cancelled.body);
    expect(cancelled.body).toMatchObject({ status: "cancelled", payment: null });
    expect(cancelled.body.cancelled_at).toMatch(/\+09:00$/);

    const paid = await pay(session.id, { payment_details: "tok_abc123" });
    expect(paid.status).toBe(422);
    expectSchema("Error", paid.body);
    expect(paid.body.error.code).toBe("unprocessable_entity");
    expect(paid.body.error.message).toContain("cancelled");
  });

  it("pay by konbini authorizes with its payment_details and completes the session; it cannot be cancelled after", async () => {
    const { body: session } = await create({
      amount: 2000,
      currency: "JPY",
      return_url: "https://e.example/r?x=1",
      payment_types: ["konbini"],
    });
    const paid = await pay(session.id, {
      payment_details: { type: "konbini", store: "lawson", email: "taro@example.com" },
    });
    expect(paid.status).toBe(200);
    expectSchema("SessionPayResponse", paid.body);
    expect(paid.body.status).toBe("completed");
    expect(paid.body.redirect_url).toBe(`https://e.example/r?x=1&session_id=${session.id}`);
    expect(paid.body.payment).toMatchObject({
      status: "authorized",
      amount: 2000,
      currency: "JPY",
      session: session.id,
      captured_at: null,
    });
    expect(paid.body.payment.payment_details).toMatchObject({
      type: "konbini",
      store: "lawson",
      email: "taro@example.com",
    });
    expect(paid.body.payment.payment_details.confirmation_code).toMatch(/^\d+$/);

    const after = await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`);
    expect(after.body).toMatchObject({
      status: "completed",
      payment: { id: paid.body.payment.id, status: "authorized" },
    });
    expect(after.body.completed_at).not.toBeNull();

    const cancel = await call(komoju.url, "POST", `/api/v1/sessions/${session.id}/cancel`);
    expect(cancel.status).toBe(422);
    expect(cancel.body.error.code).toBe("not_cancellable");
    const again = await pay(session.id, {
      payment_details: { type: "konbini", store: "lawson", email: "taro@example.com" },
    });
    expect(again.body.error.code).toBe("unprocessable_entity");
  });

  it("pay by bank transfer authorizes with a deadline", async () => {
    const { body: session } = await create({
      amount: 5000,
      currency: "JPY",
      return_url: "https://e.example/r",
      payment_types: ["bank_transfer"],
    });
    const details = {
      type: "bank_transfer",
      email: "taro@example.com",
      phone: "0312345678",
      given_name: "太郎",
      family_name: "山田",
      given_name_kana: "タロウ",
      family_name_kana: "ヤマダ",
    };
    const paid = await pay(session.id, { payment_details: details });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body.payment).toMatchObject({
      status: "authorized",
      payment_details: { type: "bank_transfer", email: "taro@example.com" },
    });
    expect(Date.parse(paid.body.payment.payment_deadline)).toBeGreaterThan(Date.now());
  });

  it("pay by token captures; manual capture only authorizes; card details report brand and last four", async () => {
    const { body: auto } = await create({ amount: 800, currency: "JPY", return_url: "https://e.example/r" });
    const captured = await pay(auto.id, { payment_details: "tok_abc123" });
    expect(captured.body.payment).toMatchObject({ status: "captured", payment_details: { type: "credit_card" } });
    expect(captured.body.payment.captured_at).toMatch(/Z$/);

    const { body: manual } = await create({
      amount: 800,
      currency: "JPY",
      return_url: "https://e.example/r",
      payment_data: { capture: "manual" },
    });
    const card = { type: "credit_card", number: "5555555555554444", month: 1, year: 31, verification_value: "123" };
    const authorized = await pay(manual.id, { payment_details: card });
    expectSchema("SessionPayResponse", authorized.body);
    expect(authorized.body.payment).toMatchObject({
      status: "authorized",
      captured_at: null,
      payment_details: { brand: "master", last_four_digits: "4444", month: 1, year: 2031 },
    });
    expect(JSON.stringify(authorized.body)).not.toContain("5555555555554444");
  });

  it("a declined test card answers 502 with KOMOJU's code and leaves the session payable", async () => {
    const { body: session } = await create({ amount: 800, currency: "JPY", return_url: "https://e.example/r" });
    const declined = await pay(session.id, {
      payment_details: { type: "credit_card", number: "4123111111111000", month: 12, year: 2030 },
    });
    expect(declined.status).toBe(502);
    expectSchema("Error", declined.body);
    expect(declined.body.error).toMatchObject({
      code: "insufficient_funds",
      message: "The card has insufficient funds.",
    });
    const retry = await pay(session.id, { payment_details: "tok_ok" });
    expect(retry.body.status).toBe("completed");
  });

  it("a card typed with spaces and string month/year is read as KOMOJU's hosted fields send it", async () => {
    const { body: session } = await create({ amount: 800, currency: "JPY", return_url: "https://e.example/r" });
    const paid = await pay(session.id, {
      payment_details: { type: "credit_card", number: "4123 1111 1111 1059", month: "07", year: "29" },
    });
    expect(paid.status).toBe(502);
    expect(paid.body.error.code).toBe("card_declined");
    const ok = await pay(session.id, {
      payment_details: { type: "credit_card", number: "4111 1111 1111 1111", month: "07", year: "29" },
    });
    expect(ok.body.payment.payment_details).toMatchObject({ last_four_digits: "1111", month: 7, year: 2029 });
  });

  it("the Komoju-Scenario header on create makes the session's card payments fail with that code", async () => {
    const { body: session } = await create(
      { amount: 800, currency: "JPY", return_url: "https://e.example/r" },
      { ...auth(), "komoju-scenario": "insufficient_funds" },
    );
    const paid = await pay(session.id, { payment_details: "tok_abc" });
    expect(paid.status).toBe(502);
    expect(paid.body.error.code).toBe("insufficient_funds");
  });

  it("a payment type the session does not offer is refused with invalid_payment_type", async () => {
    const { body: session } = await create({
      amount: 800,
      currency: "JPY",
      return_url: "https://e.example/r",
      payment_types: ["credit_card"],
    });
    const refused = await pay(session.id, {
      payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toEqual({
      code: "invalid_payment_type",
      message: "konbini is not one of credit_card",
      param: "payment_details[type]",
    });
  });

  it("unknown ids answer 404 in KOMOJU's envelope", async () => {
    for (const [method, path] of [
      ["GET", ""],
      ["POST", "/cancel"],
    ] as const) {
      const response = await call(komoju.url, method, `/api/v1/sessions/zzzzzzzzzzzzzzzzzzzzzzzzz${path}`);
      expect(response.status).toBe(404);
      expectSchema("Error", response.body);
      expect(response.body.error.code).toBe("not_found");
    }
  });

  it("a key of the wrong shape answers 401 unauthorized, and the key never appears in the answer", async () => {
    for (const key of ["sk_live_abc", "not-a-key", "pk_test_abc"]) {
      const response = await create({ amount: 1, currency: "JPY" }, auth(key));
      expect(response.status, key).toBe(401);
      expect(response.body.error.code).toBe("unauthorized");
      expect(JSON.stringify(response.body)).not.toContain(key);
    }
    expect((await create({ amount: 1, currency: "JPY" }, auth("sk_123456"))).status).toBe(200);
    const none = await call(komoju.url, "GET", "/api/v1/sessions/abc", undefined, {});
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
  });

  it("a repeated X-KOMOJU-IDEMPOTENCY with the same body gets the first answer instead of a second session", async () => {
    const headers = { ...auth(), "x-komoju-idempotency": "order-42" };
    const first = await create({ amount: 300, currency: "JPY" }, headers);
    const second = await create({ amount: 300, currency: "JPY" }, headers);
    expect(first.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
  });

  it("the same X-KOMOJU-IDEMPOTENCY with another body is refused with a 409 and creates nothing", async () => {
    const headers = { ...auth(), "x-komoju-idempotency": "order-43" };
    const first = await create({ amount: 300, currency: "JPY" }, headers);
    const before = komoju.komoju.sessions.size;
    const other = await create({ amount: 301, currency: "JPY" }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("conflict");
    expect(komoju.komoju.sessions.size).toBe(before);
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${first.body.id}`)).body.amount).toBe(300);
  });

  it("the client's own idempotency key dedupes a retried create", async () => {
    const client = createKomojuClient({ secretKey: "sk_test_local", baseUrl: komoju.url });
    const body = { amount: 302, currency: "JPY" as const, return_url: "https://e.example/r" };
    const first = await client.sessions.create(body, { idempotencyKey: "order-44" });
    const again = await client.sessions.create(body, { idempotencyKey: "order-44" });
    expect(again.id).toBe(first.id);
  });

  it("memory is bounded: past KOMOJU_LOCAL_MAX_SESSIONS the oldest sessions are forgotten", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await create({ amount: i, currency: "JPY" })).body.id);
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${ids[0]}`)).status).toBe(404);
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${ids[5]}`)).status).toBe(200);
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${ids[1]}`)).status).toBe(200);
  });

  it("payments made without a session are bounded by the same limit, oldest first", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (
          await call(komoju.url, "POST", "/api/v1/payments", {
            amount: 100 + i,
            currency: "JPY",
            payment_details: "tok_abc",
          })
        ).body.id,
      );
    expect((await call(komoju.url, "GET", `/api/v1/payments/${ids[0]}`)).status).toBe(404);
    expect((await call(komoju.url, "GET", `/api/v1/payments/${ids[5]}`)).status).toBe(200);
  });

  it("survives a client that hangs up mid-body, and keeps answering (review finding: it used to exit)", async () => {
    const { hostname, port } = new URL(komoju.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST /api/v1/sessions HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"amount":`,
        );
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    expect((await create({ amount: 100, currency: "JPY" })).status).toBe(200);
  });

  it("logs one line per request with method, path and status", async () => {
    const output = await komoju.output();
    expect(output).toMatch(/^POST \/api\/v1\/sessions 200 \d+ ms$/m);
    expect(output).toMatch(/^GET \/api\/v1\/sessions\/z{25} 404 \d+ ms$/m);
    expect(output).not.toContain("sk_test_local");
  });
});
