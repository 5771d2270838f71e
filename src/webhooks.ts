import { KomojuInvalidRequestError, KomojuSignatureError, KomojuWebhookPayloadError } from "./errors.js";
import { chosenHmac, hmac } from "./hmac.js";
import type { Event, PaymentEvent, PaymentEventType } from "./types.js";

/** The raw body exactly as received: a string, or the bytes (a Buffer is a Uint8Array). */
export type RawBody = string | Uint8Array | ArrayBuffer;

export interface VerifyWebhookInput {
  /** The request body before any JSON parsing. */
  rawBody: RawBody;
  /** The `X-Komoju-Signature` header. */
  signature: string | null | undefined;
  /** The webhook's secret token from KOMOJU's dashboard. */
  secret: string;
}

const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Web Crypto's types want an ArrayBuffer-backed view; a SharedArrayBuffer-backed one
// works at run time too, so the cast is only for the compiler.
function bytesOf(rawBody: unknown): Uint8Array<ArrayBuffer> {
  if (typeof rawBody === "string") return encoder.encode(rawBody);
  if (rawBody instanceof Uint8Array) return rawBody as Uint8Array<ArrayBuffer>;
  if (rawBody instanceof ArrayBuffer) return new Uint8Array(rawBody);
  throw new KomojuSignatureError(
    rawBody !== null && typeof rawBody === "object"
      ? "rawBody is a parsed object: pass the raw request body (string or bytes) as received; re-serialized JSON never matches the signature."
      : "rawBody must be the raw request body as a string or bytes.",
    "invalid_raw_body",
  );
}

function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== "string" || secret === "") {
    throw new KomojuInvalidRequestError("secret is required: the webhook's secret token from KOMOJU's dashboard.", "invalid_webhook_secret");
  }
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `X-Komoju-Signature` KOMOJU would send for this body: lowercase hex HMAC-SHA256. For your own tests. */
export async function signWebhookPayload(rawBody: RawBody, secret: string): Promise<string> {
  checkSecret(secret);
  return bytesToHex(await (await hmac()).sign(secret, bytesOf(rawBody)));
}

/**
 * Verifies `X-Komoju-Signature` over the raw body and returns the parsed event.
 * Throws KomojuSignatureError when the signature is missing, malformed or wrong, and
 * KomojuWebhookPayloadError when a correctly signed body is not an event. The
 * comparison runs in constant time: node:crypto's timingSafeEqual where the runtime
 * has it, Web Crypto's HMAC verify elsewhere.
 *
 * KOMOJU signs no timestamp, so a captured delivery verifies forever: remember each
 * `X-Komoju-ID` you have processed (see `createReplayGuard`) and ignore repeats.
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<Event> {
  const { rawBody, signature, secret } = input ?? ({} as VerifyWebhookInput);
  checkSecret(secret);
  const body = bytesOf(rawBody);
  if (typeof signature !== "string" || signature.trim() === "") {
    throw new KomojuSignatureError("The X-Komoju-Signature header is missing or empty.", "missing_signature");
  }
  const normalized = signature.trim().toLowerCase();
  if (!SIGNATURE_SHAPE.test(normalized)) {
    throw new KomojuSignatureError("X-Komoju-Signature is not a 64-character hex HMAC-SHA256.", "malformed_signature");
  }
  const valid = await (chosenHmac() ?? (await hmac())).verify(secret, body, normalized);
  if (!valid) {
    throw new KomojuSignatureError(
      "X-Komoju-Signature does not match the body. Check the secret token, and verify the raw body as received, before any parsing.",
      "signature_mismatch",
    );
  }

  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(body));
  } catch (cause) {
    throw new KomojuWebhookPayloadError("The webhook body is signed but is not JSON.", "invalid_webhook_payload", { cause });
  }
  const candidate = event as Partial<Event> | null;
  if (!candidate || typeof candidate !== "object" || typeof candidate.id !== "string" || typeof candidate.type !== "string" || candidate.resource !== "event") {
    throw new KomojuWebhookPayloadError("The webhook body is signed but is not a KOMOJU event (id, type, resource: \"event\").", "invalid_webhook_payload");
  }
  return event as Event;
}

const PAYMENT_EVENT_TYPES: ReadonlySet<string> = new Set<PaymentEventType>([
  "payment.authorized",
  "payment.captured",
  "payment.updated",
  "payment.expired",
  "payment.cancelled",
  "payment.refund.created",
  "payment.refunded",
  "payment.failed",
]);

/** Narrows an event to a `payment.*` event, whose `data` is a Payment. */
export function isPaymentEvent(event: Event): event is PaymentEvent {
  return PAYMENT_EVENT_TYPES.has(event.type);
}

export interface ReplayGuard {
  /** True the first time an `X-Komoju-ID` is seen within the window (and remembers it), false for a repeat. */
  firstSeen(deliveryId: string): boolean;
  /** Forgets an ID, so KOMOJU's redelivery is processed after your handler failed on the first. */
  forget(deliveryId: string): void;
}

/**
 * Remembers delivery IDs in memory, for `ttlMs` (default 24 hours) and at most
 * `maxEntries` (default 100 000, oldest forgotten first). One process only: with
 * several instances, use a shared store (for example Redis `SET id 1 NX EX 86400`).
 */
export function createReplayGuard(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): ReplayGuard {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    firstSeen(deliveryId) {
      if (typeof deliveryId !== "string" || deliveryId === "") {
        throw new KomojuInvalidRequestError("X-Komoju-ID is missing; cannot tell a replay from a new delivery.", "missing_delivery_id");
      }
      const at = now();
      for (const [id, expires] of seen) {
        if (expires > at && seen.size < maxEntries) break;
        seen.delete(id);
      }
      const expires = seen.get(deliveryId);
      if (expires !== undefined && expires > at) return false;
      seen.delete(deliveryId);
      seen.set(deliveryId, at + ttlMs);
      return true;
    },
    forget(deliveryId) {
      seen.delete(deliveryId);
    },
  };
}
