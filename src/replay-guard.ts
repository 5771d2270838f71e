// Remembering processed events, so a captured delivery replayed later is refused.
import type { Event } from "../generated/schemas.js";
import { KomojuInvalidRequestError } from "./errors.js";
import { DEFAULT_MAX_EVENT_AGE_MS } from "./webhooks.js";

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
  /** How long an event id is remembered, in milliseconds; default 7 days, as long as `verifyWebhook` accepts an event. Keep it at least that long. */
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
 * In memory (one process) by default, for `ttlMs` (default 7 days) and at most
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
  const ttlMs = integerOption("ttlMs", options.ttlMs ?? DEFAULT_MAX_EVENT_AGE_MS, [1, Number.MAX_SAFE_INTEGER]);
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
