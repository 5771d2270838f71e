import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookReceiver } from "../../examples/webhook-receiver.js";
import { createReplayGuard, type Event, KomojuInvalidRequestError, signWebhookPayload } from "../../src/index.js";
import { spec } from "../support/spec.js";

const SECRET = "whsec_receiver_test";
const received: Event[] = [];
const logs: string[] = [];
let failNext: Error | undefined;
const server = createWebhookReceiver({
  secret: SECRET,
  onEvent(event) {
    if (failNext) {
      const error = failNext;
      failNext = undefined;
      throw error;
    }
    received.push(event);
  },
  log: (line) => logs.push(line),
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/komoju`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const example = spec.components.examples?.EventPaymentCaptured?.value as Event;
let eventCount = 0;
/** A distinct event each time, as KOMOJU would send: same shape, its own id. */
function newEvent(): { event: Event; body: string } {
  const event = { ...example, id: `${example.id}_${++eventCount}`, created_at: new Date().toISOString() };
  return { event, body: JSON.stringify(event) };
}

async function deliver(rawBody: string, headers: Record<string, string>, target = url) {
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Komoju-Webhook", ...headers },
    body: rawBody,
  });
  return { status: response.status, text: await response.text() };
}

describe("examples/webhook-receiver.ts, end to end over HTTP", () => {
  it("accepts a signed event once and hands over the typed event", async () => {
    const { event, body } = newEvent();
    const headers = {
      "x-komoju-id": "delivery-1",
      "x-komoju-signature": await signWebhookPayload(body, SECRET),
      "x-komoju-event": event.type,
    };
    expect(await deliver(body, headers)).toEqual({ status: 200, text: "ok" });
    expect(received).toEqual([event]);
    expect(await deliver(body, headers)).toEqual({ status: 200, text: "already processed" });
    expect(received).toHaveLength(1);
  });

  it("refuses a 90-day-old captured payment.captured after a restart emptied the replay guard", async () => {
    const old = {
      ...example,
      id: `${example.id}_old`,
      created_at: new Date(Date.now() - 90 * 86_400_000).toISOString(),
    };
    const body = JSON.stringify(old);
    const headers = {
      "x-komoju-id": "captured-long-ago",
      "x-komoju-signature": await signWebhookPayload(body, SECRET),
    };
    // A receiver started afresh, as after a deploy: its in-memory guard has never seen the event.
    const restarted = createWebhookReceiver({
      secret: SECRET,
      onEvent: (event) => {
        received.push(event);
      },
      log: () => undefined,
    });
    await new Promise<void>((resolve) => restarted.listen(0, "127.0.0.1", resolve));
    try {
      const target = `http://127.0.0.1:${(restarted.address() as AddressInfo).port}/webhooks/komoju`;
      expect(await deliver(body, headers, target)).toEqual({ status: 400, text: "stale event" });
      expect(received.filter((seen) => seen.id === old.id)).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => restarted.close(() => resolve()));
    }
  });

  it("processes a captured delivery re-sent with 3 different X-Komoju-IDs once", async () => {
    const { event, body } = newEvent();
    const signature = await signWebhookPayload(body, SECRET);
    const answers = [];
    for (const id of ["replay-a", "replay-b", "replay-c"])
      answers.push(await deliver(body, { "x-komoju-id": id, "x-komoju-signature": signature }));
    expect(answers).toEqual([
      { status: 200, text: "ok" },
      { status: 200, text: "already processed" },
      { status: 200, text: "already processed" },
    ]);
    expect(received.filter((seen) => seen.id === event.id)).toHaveLength(1);
    // Nor does a missing X-Komoju-ID change anything: the header is not part of the key.
    expect(await deliver(body, { "x-komoju-signature": signature })).toEqual({
      status: 200,
      text: "already processed",
    });
  });

  it("refuses a tampered event with 401, processes nothing, and logs the reason", async () => {
    const { body } = newEvent();
    const signature = await signWebhookPayload(body, SECRET);
    const tampered = body.replace(/"amount":\d+/, '"amount":999999');
    expect(tampered).not.toBe(body);
    const before = received.length;
    expect(await deliver(tampered, { "x-komoju-id": "delivery-2", "x-komoju-signature": signature })).toEqual({
      status: 401,
      text: "invalid signature",
    });
    expect(await deliver(body, { "x-komoju-id": "delivery-3" })).toEqual({ status: 401, text: "invalid signature" });
    expect(received).toHaveLength(before);
    expect(logs.slice(-2)).toEqual([
      'webhook "delivery-2" refused: signature_mismatch',
      'webhook "delivery-3" refused: missing_signature',
    ]);
  });

  it("lets KOMOJU redeliver after the handler failed, and logs why it answered 500 without the secret", async () => {
    const { event, body } = newEvent();
    const headers = { "x-komoju-id": "delivery-4", "x-komoju-signature": await signWebhookPayload(body, SECRET) };
    failNext = new Error(`database down (connected with ${SECRET})`);
    expect(await deliver(body, headers)).toEqual({ status: 500, text: "handler failed" });
    expect(logs.at(-1)).toBe(
      `webhook "delivery-4" event ${event.id} (${event.type}): handler failed, answering 500 so KOMOJU redelivers: Error: database down (connected with [secret])`,
    );
    expect(await deliver(body, { ...headers, "x-komoju-id": "delivery-5" })).toEqual({ status: 200, text: "ok" });
    expect(logs.join("\n")).not.toContain(SECRET);
  });

  it("answers 400 to a signed body that is not an event, and 405 to a GET", async () => {
    const notEvent = JSON.stringify({ hello: "world" });
    expect(
      (
        await deliver(notEvent, {
          "x-komoju-id": "d6",
          "x-komoju-signature": await signWebhookPayload(notEvent, SECRET),
        })
      ).status,
    ).toBe(400);
    expect(logs.at(-1)).toBe('webhook "d6" refused: invalid_webhook_payload');
    expect((await fetch(url)).status).toBe(405);
  });

  it("never answers 500 silently: a failing replay store is logged, with the delivery id quoted", async () => {
    const lines: string[] = [];
    const broken = createWebhookReceiver({
      secret: SECRET,
      onEvent: () => undefined,
      replayGuard: createReplayGuard({
        store: { add: () => Promise.reject(new Error("redis: ECONNREFUSED")), delete: () => undefined },
      }),
      log: (line) => lines.push(line),
    });
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    try {
      const { body } = newEvent();
      const target = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/`;
      expect(
        await deliver(
          body,
          { "x-komoju-id": 'd7" forged', "x-komoju-signature": await signWebhookPayload(body, SECRET) },
          target,
        ),
      ).toEqual({ status: 500, text: "internal error" });
      expect(lines).toEqual(['webhook "d7\\" forged": internal error: Error: redis: ECONNREFUSED']);
    } finally {
      await new Promise<void>((resolve) => broken.close(() => resolve()));
    }
  });

  it("refuses to be created without a secret", () => {
    for (const secret of ["", undefined]) {
      expect(() => createWebhookReceiver({ secret: secret as never, onEvent: () => undefined })).toThrow(
        KomojuInvalidRequestError,
      );
    }
  });
});
