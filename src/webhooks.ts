import type { Event, PaymentEvent, PaymentEventType } from "../generated/schemas.js";
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
}

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
 * KOMOJU signs no timestamp, so a captured delivery verifies forever: remember the
 * `id` of each event you have processed (see `createReplayGuard`) and ignore repeats.
 */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<Event> {
  let rawBody: unknown, signature: unknown, secret: unknown;
  try {
    ({ rawBody, signature, secret } = input ?? ({} as VerifyWebhookInput));
  } catch (cause) {
    throw new KomojuInvalidRequestError("Unreadable verifyWebhook input.", "invalid_webhook_input", { cause });
  }
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
  return PAYMENT_EVENT_TYPES.has(event?.type);
}

/** What the guard keys on: the verified event, or its `id`. */
export type ReplayKey = Pick<Event, "id"> | string;

export interface ReplayGuard {
  /** True the first time an event is seen within the window (and remembers it), false for a repeat. */
  firstSeen(event: ReplayKey): boolean;
  /** Forgets an event, so KOMOJU's redelivery is processed after your handler failed on the first. */
  forget(event: ReplayKey): void;
}

/** The same guard over a store shared by several instances. */
export interface SharedReplayGuard {
  firstSeen(event: ReplayKey): Promise<boolean>;
  forget(event: ReplayKey): Promise<void>;
}

/**
 * Where a shared guard remembers event ids. `add` must be atomic (two instances may
 * receive the same event at once): with Redis, `SET <id> 1 PX <ttlMs> NX` and
 * `DEL <id>`.
 */
export interface ReplayStore {
  /** Remembers `id` for `ttlMs`; true when it was not remembered already. */
  add(id: string, ttlMs: number): boolean | Promise<boolean>;
  delete(id: string): unknown;
}

export interface ReplayGuardOptions {
  /** How long an event id is remembered, in milliseconds; default 24 hours. */
  ttlMs?: number;
  /** In memory only: at most this many ids, the oldest forgotten first; default 100 000, at least 2. */
  maxEntries?: number;
  now?: () => number;
}

// A cap of 1 forgets the previous event as soon as another arrives, so a repeat
// interleaved with any other delivery gets through; 0 remembers nothing. The upper
// bound stays under V8's Map limit of 2^24 entries, past which set() throws.
const MAX_ENTRIES: [number, number] = [2, 10_000_000];

function integerOption(name: string, value: unknown, [min, max]: [number, number]): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new KomojuInvalidRequestError(
      `${name} must be an integer from ${min} to ${max}.`,
      "invalid_replay_guard_option",
    );
  }
  return value as number;
}

function idOf(event: ReplayKey): string {
  const id = typeof event === "string" ? event : event?.id;
  if (typeof id !== "string" || id === "") {
    throw new KomojuInvalidRequestError(
      "The replay guard needs the verified event (or its id) to tell a replay from a new event.",
      "missing_event_id",
    );
  }
  return id;
}

/**
 * Remembers the ids of processed events, which KOMOJU signs, so that a delivery
 * replayed by anyone who captured it is refused. It keys on the event's `id`, never
 * on the `X-Komoju-ID` header: KOMOJU documents that header as the id of the
 * delivery (not of the event), and it is outside the signature, so a replay may
 * carry any value there.
 *
 * In memory (one process) by default, for `ttlMs` (default 24 hours) and at most
 * `maxEntries` ids. With several instances, pass a shared `store`; `firstSeen` and
 * `forget` then return promises.
 */
export function createReplayGuard(options?: ReplayGuardOptions): ReplayGuard;
export function createReplayGuard(
  options: Omit<ReplayGuardOptions, "maxEntries" | "now"> & { store: ReplayStore },
): SharedReplayGuard;
export function createReplayGuard(
  options: ReplayGuardOptions & { store?: ReplayStore } = {},
): ReplayGuard | SharedReplayGuard {
  const ttlMs = integerOption("ttlMs", options.ttlMs ?? 24 * 60 * 60 * 1000, [1, Number.MAX_SAFE_INTEGER]);
  const { store } = options;
  if (store) {
    if (typeof store.add !== "function" || typeof store.delete !== "function") {
      throw new KomojuInvalidRequestError(
        "store must have add(id, ttlMs) and delete(id) methods.",
        "invalid_replay_guard_option",
      );
    }
    return {
      async firstSeen(event) {
        const added = await store.add(idOf(event), ttlMs);
        if (typeof added !== "boolean") {
          throw new KomojuInvalidRequestError(
            "store.add must return true (newly added) or false (already there).",
            "invalid_replay_store",
          );
        }
        return added;
      },
      async forget(event) {
        await store.delete(idOf(event));
      },
    };
  }
  const maxEntries = integerOption("maxEntries", options.maxEntries ?? 100_000, MAX_ENTRIES);
  const now = options.now ?? Date.now;
  if (typeof now !== "function")
    throw new KomojuInvalidRequestError(
      "now must be a function returning milliseconds.",
      "invalid_replay_guard_option",
    );
  // Insertion order is expiry order (one ttl for all), so expired ids sit at the front.
  const seen = new Map<string, number>();
  return {
    firstSeen(event) {
      const id = idOf(event);
      const at = now();
      if (!Number.isFinite(at))
        throw new KomojuInvalidRequestError(
          "now() must return a finite number of milliseconds.",
          "invalid_replay_guard_option",
        );
      // Looked up before anything is evicted, so a full guard still refuses every id it holds.
      if ((seen.get(id) ?? -Infinity) > at) return false;
      seen.delete(id);
      for (const [old, expires] of seen) {
        if (expires > at && seen.size < maxEntries) break;
        seen.delete(old);
      }
      seen.set(id, at + ttlMs);
      return true;
    },
    forget(event) {
      seen.delete(idOf(event));
    },
  };
}
