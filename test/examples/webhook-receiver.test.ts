import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookReceiver } from "../../examples/webhook-receiver.js";
import { type Event, signWebhookPayload } from "../../src/index.js";
import { spec } from "../support/spec.js";

const SECRET = "whsec_receiver_test";
const received: Event[] = [];
let failNext = false;
const server = createWebhookReceiver({
  secret: SECRET,
  onEvent(event) {
    if (failNext) {
      failNext = false;
      throw new Error("database down");
    }
    received.push(event);
  },
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/komoju`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const event = spec.components.examples?.EventPaymentCaptured?.value as Event;
const body = JSON.stringify(event);

async function deliver(rawBody: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "user-agent": "Komoju-Webhook", ...headers }, body: rawBody });
  return { status: response.status, text: await response.text() };
}

describe("examples/webhook-receiver.ts, end to end over HTTP", () => {
  it("accepts a signed event once and hands over the typed event", async () => {
    const signature = await signWebhookPayload(body, SECRET);
    const headers = { "x-komoju-id": "delivery-1", "x-komoju-signature": signature, "x-komoju-event": event.type };
    expect(await deliver(body, headers)).toEqual({ status: 200, text: "ok" });
    expect(received).toEqual([event]);
    expect(await deliver(body, headers)).toEqual({ status: 200, text: "already processed" });
    expect(received).toHaveLength(1);
  });

  it("refuses a tampered event with 401 and processes nothing", async () => {
    const signature = await signWebhookPayload(body, SECRET);
    const tampered = body.replace('"amount":8888', '"amount":1');
    expect(tampered).not.toBe(body);
    const before = received.length;
    expect(await deliver(tampered, { "x-komoju-id": "delivery-2", "x-komoju-signature": signature })).toEqual({ status: 401, text: "invalid signature" });
    expect(await deliver(body, { "x-komoju-id": "delivery-3" })).toEqual({ status: 401, text: "invalid signature" });
    expect(received).toHaveLength(before);
  });

  it("lets KOMOJU redeliver after the handler failed", async () => {
    const signature = await signWebhookPayload(body, SECRET);
    const headers = { "x-komoju-id": "delivery-4", "x-komoju-signature": signature };
    failNext = true;
    expect((await deliver(body, headers)).status).toBe(500);
    expect(await deliver(body, headers)).toEqual({ status: 200, text: "ok" });
  });

  it("answers 400 to a signed body that is not an event, and 405 to a GET", async () => {
    const notEvent = JSON.stringify({ hello: "world" });
    expect((await deliver(notEvent, { "x-komoju-id": "d5", "x-komoju-signature": await signWebhookPayload(notEvent, SECRET) })).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
  });
});
