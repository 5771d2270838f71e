import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKomojuClient, type Event } from "komoju-ts";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCheckoutServer } from "../../examples/checkout-server.js";
import { createWebhookReceiver } from "../../examples/webhook-receiver.js";
import { type LocalKomoju, startLocalKomoju } from "./support.js";

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

it("examples/checkout-server.ts end to end: create → checkout page → pay → return → signed webhook → paid", {
  timeout: 30_000,
}, async () => {
  const checkout = await fetch(`${shopUrl}/checkout`, { redirect: "manual" });
  expect(checkout.status).toBe(303);
  const sessionUrl = checkout.headers.get("location")!;
  expect(sessionUrl.startsWith(`${komoju.url}/sessions/`)).toBe(true);

  const page = await fetch(sessionUrl);
  expect(await page.text()).toContain("Pay by card");

  // The page's card form, as the browser submits it; fetch follows the 303 to the shop's /return.
  const paid = await fetch(`${sessionUrl}/pay`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "type=credit_card&card=success",
  });
  expect(paid.url.startsWith(`${shopUrl}/return?session_id=`)).toBe(true);
  expect(await paid.text(), `${clientErrors.join("\n")}\n${await komoju.output()}`).toBe(
    "<p>Thank you, your payment went through.</p>",
  );

  const sessionId = new URL(paid.url).searchParams.get("session_id");
  await expect
    .poll(() => received.find((event) => event.type === "payment.captured"), { timeout: 10_000 })
    .toBeDefined();
  const event = received.find((e) => e.type === "payment.captured")!;
  expect(event.data).toMatchObject({
    status: "captured",
    amount: 8888,
    currency: "JPY",
    session: sessionId,
    metadata: { order_id: "42" },
  });
});
