import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKomojuClient, type Event } from "komoju-ts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCheckoutServer } from "../../examples/checkout-server.js";
import { createWebhookReceiver } from "../../examples/webhook-receiver.js";
import { call, type LocalKomoju, startLocalKomoju } from "./support.js";

const SECRET = "whsec_checkout_example";
const received: Event[] = [];
const clientErrors: string[] = [];
let komoju: LocalKomoju;
let shop: Server;
let shopUrl = "";
let hooks: Server;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  hooks = createWebhookReceiver({ secret: SECRET, onEvent: (event) => void received.push(event), log: () => {} });
  const hooksUrl = await listen(hooks);
  komoju = await startLocalKomoju({ webhookUrls: [`${hooksUrl}/webhooks/komoju`], webhookSecret: SECRET });
  // The example needs its public URL up front, known only once a port is bound: a
  // listening shell hands each request to the example's server.
  let example: Server | undefined;
  shop = createServer((req, res) => example!.emit("request", req, res));
  shopUrl = await listen(shop);
  example = createCheckoutServer({
    komoju: createKomojuClient({
      secretKey: "sk_test_example",
      baseUrl: komoju.url,
      // The example hides KOMOJU's errors from the customer; the test keeps them for its failure message.
      hooks: {
        onResponse: (event) =>
          void (
            event.error && clientErrors.push(`${event.method} ${event.url} ${event.status}: ${event.error.message}`)
          ),
      },
    }),
    publicUrl: shopUrl,
  });
}, 60_000);

afterAll(async () => {
  await komoju?.stop();
  shop?.close();
  hooks?.close();
});

const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** Opens the shop's /checkout and follows it to KOMOJU's page; returns the session_url and the page's HTML. */
async function checkout() {
  const checkout = await fetch(`${shopUrl}/checkout`, { redirect: "manual" });
  expect(checkout.status).toBe(303);
  const sessionUrl = checkout.headers.get("location")!;
  expect(sessionUrl.startsWith(`${komoju.url}/sessions/`)).toBe(true);
  return { sessionUrl, page: await (await fetch(sessionUrl)).text() };
}

const returnText = async (sessionId: string) => (await fetch(`${shopUrl}/return?session_id=${sessionId}`)).text();

it("examples/checkout-server.ts end to end: create → checkout page → pay by card → return → signed webhook → paid", {
  timeout: 30_000,
}, async () => {
  const { sessionUrl, page } = await checkout();
  // The session is in Japanese (default_locale: "ja"): the card form, the total in yen.
  expect(page).toContain('<html lang="ja"');
  expect(page).toContain("支払う ¥8,888");
  expect(page).toContain('name="number"');

  // The page's card form, as the browser submits it; fetch follows the 303 to the shop's /return.
  const paid = await fetch(`${sessionUrl}/pay`, {
    method: "POST",
    headers: FORM,
    body: "type=credit_card&lang=ja&number=4111+1111+1111+1111&expiry=12+%2F+40&cvc=123&name=TARO+YAMADA",
  });
  expect(paid.url.startsWith(`${shopUrl}/return?session_id=`)).toBe(true);
  expect(await paid.text(), `${clientErrors.join("\n")}\n${await komoju.output()}`).toBe(
    "<p>Thank you, your payment went through.</p>",
  );

  const sessionId = new URL(paid.url).searchParams.get("session_id");
  await expect
    .poll(() => received.find((event) => event.type === "payment.captured" && event.data.session === sessionId), {
      timeout: 10_000,
    })
    .toBeDefined();
  const event = received.find((e) => e.type === "payment.captured" && e.data.session === sessionId)!;
  expect(event.data).toMatchObject({
    status: "captured",
    amount: 8888,
    currency: "JPY",
    session: sessionId,
    metadata: { order_id: "42" },
  });
});

it("konbini: the return page says the order waits for payment at the store by the deadline; paid once the store payment's payment.captured arrives", {
  timeout: 30_000,
}, async () => {
  const { sessionUrl } = await checkout();
  const sessionId = new URL(sessionUrl).pathname.split("/").pop()!;
  // Choosing the store shows KOMOJU's instructions (receipt number, deadline), not the shop.
  const chosen = await fetch(`${sessionUrl}/pay`, {
    method: "POST",
    headers: FORM,
    body: "type=konbini&lang=ja&store=lawson",
  });
  expect(chosen.url.startsWith(sessionUrl)).toBe(true);
  const instructions = await chosen.text();
  expect(instructions).toContain("受付番号");
  expect(instructions).toContain(`${shopUrl}/return?session_id=${sessionId}`);

  const { body: session } = await call(komoju.url, "GET", `/api/v1/sessions/${sessionId}`);
  expect(session.payment).toMatchObject({
    status: "authorized",
    payment_details: { type: "konbini", store: "lawson" },
  });
  const waiting = await returnText(sessionId);
  expect(waiting).toContain("not paid yet");
  expect(waiting).toContain("¥8,888");
  const day = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", dateStyle: "long" });
  expect(waiting).toContain(day.format(new Date(session.payment.payment_deadline)));
  expect(waiting).not.toContain("went through");
  expect(received.some((e) => e.type === "payment.captured" && e.data.session === sessionId)).toBe(false);

  // The customer pays at the store: KOMOJU captures the payment and sends payment.captured.
  const captured = await fetch(`${komoju.url}/_local/payments/${session.payment.id}/capture`, { method: "POST" });
  expect(captured.status).toBe(200);
  await expect
    .poll(() => received.find((e) => e.type === "payment.captured" && e.data.session === sessionId), {
      timeout: 10_000,
    })
    .toMatchObject({ data: { status: "captured", metadata: { order_id: "42" } } });
  expect(await returnText(sessionId)).toBe("<p>Thank you, your payment went through.</p>");
});
