import { createHmac } from "node:crypto";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  DEFAULT_MAX_EVENT_AGE_MS,
  type Event,
  isPaymentEvent,
  KomojuInvalidRequestError,
  KomojuSignatureError,
  KomojuWebhookPayloadError,
  type Payment,
  signWebhookPayload,
  verifyWebhook,
} from "../../src/index.js";
import { spec } from "../support/spec.js";

const SECRET = "whsec_test_0123456789";
// KOMOJU's example, delivered now: verifyWebhook refuses events older than maxAgeMs.
const example = spec.components.examples?.EventPaymentCaptured?.value as Event;
const event = { ...example, created_at: new Date().toISOString() } as Event;
const rawBody = JSON.stringify(event);
const signature = createHmac("sha256", SECRET).update(rawBody).digest("hex");

async function refusal(input: Parameters<typeof verifyWebhook>[0]) {
  return verifyWebhook(input).then(
    () => expect.fail("expected the webhook to be refused"),
    (error: unknown) => error as Error,
  );
}

describe("verifyWebhook refuses old events, which a replay guard emptied by a restart cannot", () => {
  const DAY = 24 * 60 * 60 * 1000;
  const signed = (created_at: unknown) => {
    const body = JSON.stringify({ ...example, created_at });
    return { rawBody: body, signature: createHmac("sha256", SECRET).update(body).digest("hex"), secret: SECRET };
  };

  it("refuses a correctly signed payment.captured delivered 90 days after it happened", async () => {
    const error = await refusal(signed(new Date(Date.now() - 90 * DAY).toISOString()));
    expect(error).toBeInstanceOf(KomojuWebhookPayloadError);
    expect(error).toMatchObject({ code: "stale_event" });
  });

  it("accepts events up to 7 days old by default, and as old as maxAgeMs allows", async () => {
    const now = () => Date.parse("2026-01-08T00:00:00Z");
    expect(DEFAULT_MAX_EVENT_AGE_MS).toBe(7 * DAY);
    await expect(verifyWebhook({ ...signed("2026-01-01T00:00:00Z"), now })).resolves.toMatchObject({ id: example.id });
    await expect(verifyWebhook({ ...signed("2025-12-31T23:59:59Z"), now })).rejects.toMatchObject({
      code: "stale_event",
    });
    await expect(verifyWebhook({ ...signed("2026-01-07T00:00:00Z"), now, maxAgeMs: DAY / 2 })).rejects.toMatchObject({
      code: "stale_event",
    });
    await expect(verifyWebhook({ ...signed("2020-08-17T09:05:13Z"), now, maxAgeMs: null })).resolves.toMatchObject({
      id: example.id,
    });
  });

  it.each([
    ["missing", undefined],
    ["not a date", "yesterday"],
    ["a number", 1597655113000],
  ])("refuses a signed event whose created_at is %s, since its age cannot be told", async (_what, createdAt) => {
    const error = await refusal(signed(createdAt));
    expect(error).toBeInstanceOf(KomojuWebhookPayloadError);
    expect(error).toMatchObject({ code: "invalid_webhook_payload" });
  });

  it.each([0, -1, 1.5, "7d", Number.POSITIVE_INFINITY])(
    "refuses maxAgeMs %s before reading the body",
    async (maxAgeMs) => {
      const error = await refusal({ ...signed(new Date().toISOString()), maxAgeMs: maxAgeMs as number });
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    },
  );
});

describe("verifyWebhook accepts what KOMOJU signs", () => {
  it("signs like node:crypto's HMAC-SHA256 in lowercase hex", async () => {
    expect(await signWebhookPayload(rawBody, SECRET)).toBe(signature);
  });

  it.each([
    ["a string", rawBody],
    ["a Buffer", Buffer.from(rawBody)],
    ["a Uint8Array", new TextEncoder().encode(rawBody)],
    ["an ArrayBuffer", new TextEncoder().encode(rawBody).buffer],
  ])("returns the typed event for %s", async (_what, body) => {
    expect(await verifyWebhook({ rawBody: body, signature, secret: SECRET })).toEqual(event);
  });

  it("accepts Japanese text and an uppercase signature", async () => {
    const body = JSON.stringify({ ...event, reason: "支払い完了" });
    const sig = createHmac("sha256", SECRET).update(Buffer.from(body, "utf8")).digest("hex").toUpperCase();
    expect((await verifyWebhook({ rawBody: body, signature: sig, secret: SECRET })).reason).toBe("支払い完了");
  });

  it("narrows payment events to a Payment", async () => {
    const verified = await verifyWebhook({ rawBody, signature, secret: SECRET });
    expect(isPaymentEvent(verified)).toBe(true);
    if (isPaymentEvent(verified)) {
      expectTypeOf(verified.data).toEqualTypeOf<Payment>();
      expect(verified.data).toEqual(event.data);
    }
    expect(isPaymentEvent({ ...event, type: "customer.created", data: {} } as Event)).toBe(false);
    for (const notAnEvent of [null, undefined, {}, "payment.captured"])
      expect(isPaymentEvent(notAnEvent as never)).toBe(false);
  });
});

describe("verifyWebhook refuses", () => {
  const flipped = Buffer.from(rawBody);
  flipped[10] = flipped[10]! ^ 0x01;
  it.each([
    ["a flipped byte", { rawBody: flipped, signature, secret: SECRET }, "signature_mismatch"],
    ["a truncated body", { rawBody: rawBody.slice(0, -1), signature, secret: SECRET }, "signature_mismatch"],
    ["the wrong secret", { rawBody, signature, secret: "whsec_other" }, "signature_mismatch"],
    [
      "a reformatted JSON body",
      { rawBody: JSON.stringify(event, null, 2), signature, secret: SECRET },
      "signature_mismatch",
    ],
    ["a missing header", { rawBody, signature: undefined, secret: SECRET }, "missing_signature"],
    ["a null header", { rawBody, signature: null, secret: SECRET }, "missing_signature"],
    ["an empty header", { rawBody, signature: "", secret: SECRET }, "missing_signature"],
    ["a short signature", { rawBody, signature: signature.slice(0, 63), secret: SECRET }, "malformed_signature"],
    ["a signature with a prefix", { rawBody, signature: `sha256=${signature}`, secret: SECRET }, "malformed_signature"],
    [
      "another body's valid signature",
      { rawBody, signature: createHmac("sha256", SECRET).update("{}").digest("hex"), secret: SECRET },
      "signature_mismatch",
    ],
  ] as const)("%s", async (_what, input, code) => {
    const error = await refusal(input);
    expect(error).toBeInstanceOf(KomojuSignatureError);
    expect(error).toMatchObject({ code });
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it("an already-parsed body, with a message that says to pass the raw body", async () => {
    const error = await refusal({ rawBody: event as never, signature, secret: SECRET });
    expect(error).toBeInstanceOf(KomojuSignatureError);
    expect(error.message).toMatch(/raw request body/);
  });

  it("a missing secret, as a configuration error", async () => {
    expect(await refusal({ rawBody, signature, secret: "" })).toBeInstanceOf(KomojuInvalidRequestError);
  });

  it("an input it cannot read (a throwing getter, a revoked Proxy), as invalid input carrying the cause", async () => {
    const thrown = new Error("getter");
    const getter = Object.defineProperty({ signature, secret: SECRET }, "rawBody", {
      enumerable: true,
      get: () => {
        throw thrown;
      },
    });
    const { proxy, revoke } = Proxy.revocable({ rawBody, signature, secret: SECRET }, {});
    revoke();
    for (const input of [getter, proxy]) {
      const error = await refusal(input as never);
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect((error as KomojuInvalidRequestError).code).toBe("invalid_webhook_input");
    }
    expect((await refusal(getter as never)).cause).toBe(thrown);
  });

  it("reads an input whose fields are getters on its prototype (a class instance)", async () => {
    class Delivery {
      get rawBody() {
        return rawBody;
      }
      get signature() {
        return signature;
      }
      get secret() {
        return SECRET;
      }
    }
    expect(await verifyWebhook(new Delivery())).toEqual(event);
  });

  it.each([
    ["a signed body that is not JSON", "not json"],
    ["signed JSON that is not an event", JSON.stringify({ id: "x", type: "ping", resource: "payment" })],
  ])("%s, as a payload error", async (_what, body) => {
    const error = await refusal({
      rawBody: body,
      signature: createHmac("sha256", SECRET).update(body).digest("hex"),
      secret: SECRET,
    });
    expect(error).toBeInstanceOf(KomojuWebhookPayloadError);
  });
});
