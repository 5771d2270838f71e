import { PAYMENT_EVENT_TYPES } from "../generated/constants.js";
import type { Event, PaymentEvent } from "../generated/schemas.js";
import { KomojuInvalidRequestError, KomojuSignatureError, KomojuWebhookPayloadError } from "./errors.js";
import { chosenHmac, hmac } from "./hmac.js";

/** The raw body exactly as received: a string, or its bytes (a Buffer is a Uint8Array). */
export type RawBody = string | ArrayBufferView | ArrayBufferLike;

export interface VerifyWebhookInput {
  /** The request body before any JSON parsing. */
  rawBody: RawBody;
  /** The `X-Komoju-Signature` header. */
  signature: string | null | undefined;
  /** The webhook's secret token from KOMOJU's dashboard. */
  secret: string;
  /**
   * Refuse an event whose signed `created_at` is older than this many milliseconds.
   * Default 7 days (`DEFAULT_MAX_EVENT_AGE_MS`); `null` accepts any age, e.g. to
   * reprocess a backlog on purpose.
   */
  maxAgeMs?: number | null | undefined;
  /** The current time in milliseconds; default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * How old a delivered event may be. KOMOJU signs no timestamp and publishes no
 * redelivery window, but `created_at` is inside the signed body: refusing old events
 * stops a captured delivery from being replayed after a restart has emptied an
 * in-memory replay guard. A week is far past any redelivery of a failed webhook
 * while the endpoint was down for a weekend.
 */
export const DEFAULT_MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

const SIGNATURE_SHAPE = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytesOf(rawBody: unknown): Uint8Array<ArrayBuffer> {
  if (typeof rawBody === "string") return encoder.encode(rawBody);
  try {
    // Where SharedArrayBuffer is not a global, the test throws only for what is not bytes anyway.
    if (ArrayBuffer.isView(rawBody) || rawBody instanceof ArrayBuffer || rawBody instanceof SharedArrayBuffer) {
      const view = rawBody as Partial<ArrayBufferView>;
      const bytes = new Uint8Array(view.buffer ?? (rawBody as ArrayBuffer), view.byteOffset, view.byteLength);
      // Web Crypto refuses a view on a SharedArrayBuffer, so such bytes are copied.
      return (bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
    }
  } catch {
    // A detached buffer: its bytes are gone, which the refusal below says as well as any.
  }
  throw new KomojuSignatureError(
    "rawBody must be the raw request body (a string or bytes), before any parsing.",
    "invalid_raw_body",
  );
}

function checkSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== "string" || secret === "") {
    throw new KomojuInvalidRequestError(
      "secret is required: the webhook's secret token from KOMOJU's dashboard.",
      "invalid_webhook_secret",
    );
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
 * comparison runs in constant time: over node:crypto's digest where the runtime has
 * it, Web Crypto's HMAC verify elsewhere.
 *
 * A correctly signed event older than `maxAgeMs` (by its signed `created_at`) is refused
 * with KomojuWebhookPayloadError `stale_event`. Within that age a captured delivery
 * still verifies: remember the `id` of each event you have processed (see
 * `createReplayGuard`) for at least as long, and ignore repeats.
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<Event> {
  let rawBody: unknown, signature: unknown, secret: unknown, maxAgeMs: unknown, now: unknown;
  try {
    ({
      rawBody,
      signature,
      secret,
      maxAgeMs = DEFAULT_MAX_EVENT_AGE_MS,
      now = Date.now,
    } = input ?? ({} as VerifyWebhookInput));
  } catch (cause) {
    throw new KomojuInvalidRequestError("Unreadable verifyWebhook input.", "invalid_webhook_input", { cause });
  }
  checkSecret(secret);
  if (maxAgeMs !== null && !(Number.isSafeInteger(maxAgeMs) && (maxAgeMs as number) > 0)) {
    throw new KomojuInvalidRequestError(
      "maxAgeMs must be a positive integer of milliseconds, or null.",
      "invalid_webhook_input",
    );
  }
  if (typeof now !== "function")
    throw new KomojuInvalidRequestError("now must be a function.", "invalid_webhook_input");
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
      "X-Komoju-Signature does not match: check the secret token, and pass the raw body as received.",
      "signature_mismatch",
    );
  }

  let event: unknown;
  try {
    event = JSON.parse(decoder.decode(body));
  } catch (cause) {
    throw new KomojuWebhookPayloadError("The webhook body is signed but is not JSON.", "invalid_webhook_payload", {
      cause,
    });
  }
  const candidate = event as Partial<Event> | null;
  if (
    !candidate ||
    typeof candidate !== "object" ||
    typeof candidate.id !== "string" ||
    typeof candidate.type !== "string" ||
    candidate.resource !== "event"
  ) {
    throw new KomojuWebhookPayloadError(
      'The webhook body is signed but is not a KOMOJU event (id, type, resource: "event").',
      "invalid_webhook_payload",
    );
  }
  if (maxAgeMs !== null) checkAge(candidate.created_at, maxAgeMs as number, (now as () => number)());
  return event as Event;
}

function checkAge(createdAt: unknown, maxAgeMs: number, now: number): void {
  const created = typeof createdAt === "string" ? Date.parse(createdAt) : Number.NaN;
  if (Number.isNaN(created)) {
    throw new KomojuWebhookPayloadError(
      "The webhook body is signed but its created_at is not a date, so its age cannot be checked.",
      "invalid_webhook_payload",
    );
  }
  if (now - created > maxAgeMs) {
    throw new KomojuWebhookPayloadError(
      `The event was created at ${createdAt}, more than maxAgeMs (${maxAgeMs} ms) ago: a replayed delivery, or a backlog to reprocess with maxAgeMs: null.`,
      "stale_event",
    );
  }
}

const PAYMENT_EVENTS: ReadonlySet<string> = /* @__PURE__ */ new Set(PAYMENT_EVENT_TYPES);

/** Narrows an event to a `payment.*` event, whose `data` is a Payment. */
export function isPaymentEvent(event: Event): event is PaymentEvent {
  return PAYMENT_EVENTS.has(event?.type);
}
