import { describe, expect, it } from "vitest";
import { createReplayGuard, DEFAULT_MAX_EVENT_AGE_MS, type Event, KomojuInvalidRequestError } from "../../src/index.js";
import type { ReplayStore } from "../../src/replay-guard.js";
import { spec } from "../support/spec.js";

const event = spec.components.examples?.EventPaymentCaptured?.value as Event;

function refusal(run: () => unknown): KomojuInvalidRequestError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    return error as KomojuInvalidRequestError;
  }
  return expect.fail("expected a KomojuInvalidRequestError");
}

describe("createReplayGuard keys on the signed event id", () => {
  it("refuses the same event whatever X-Komoju-ID it came with: the header is not part of the guard's key", () => {
    const guard = createReplayGuard();
    expect(guard.firstSeen(event)).toBe(true);
    expect(guard.firstSeen({ ...event })).toBe(false);
    expect(guard.firstSeen(event.id)).toBe(false);
    expect(guard.firstSeen({ ...event, id: `${event.id}-other` })).toBe(true);
  });

  it("forgets an event on request, so a redelivery after a failed handler is processed", () => {
    const guard = createReplayGuard();
    expect(guard.firstSeen(event)).toBe(true);
    guard.forget(event);
    expect(guard.firstSeen(event)).toBe(true);
  });

  it("forgets ids after ttlMs", () => {
    let now = 0;
    const guard = createReplayGuard({ ttlMs: 1000, now: () => now });
    expect(guard.firstSeen("e1")).toBe(true);
    now = 999;
    expect(guard.firstSeen("e1")).toBe(false);
    now = 1000;
    expect(guard.firstSeen("e1")).toBe(true);
  });

  it("maxEntries N protects N ids: a repeat is looked up before anything is evicted", () => {
    const guard = createReplayGuard({ maxEntries: 3 });
    for (const id of ["a", "b", "c"]) expect(guard.firstSeen(id)).toBe(true);
    for (const id of ["a", "b", "c"]) expect(guard.firstSeen(id)).toBe(false);
    expect(guard.firstSeen("d")).toBe(true);
    expect(guard.firstSeen("a")).toBe(true);
    expect(guard.firstSeen("c")).toBe(false);
  });

  it("the smallest cap, 2, still refuses a repeat interleaved with another event", () => {
    const guard = createReplayGuard({ maxEntries: 2 });
    expect([guard.firstSeen("a"), guard.firstSeen("b"), guard.firstSeen("a"), guard.firstSeen("b")]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it.each([0, 1, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 10_000_001, "10"])(
    "refuses maxEntries %s",
    (maxEntries) => {
      expect(refusal(() => createReplayGuard({ maxEntries: maxEntries as number })).code).toBe(
        "invalid_replay_guard_option",
      );
    },
  );

  it.each([0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, "1000"])(
    "refuses ttlMs %s",
    (ttlMs) => {
      expect(refusal(() => createReplayGuard({ ttlMs: ttlMs as number })).code).toBe("invalid_replay_guard_option");
    },
  );

  it("refuses a now that is not a clock", () => {
    expect(refusal(() => createReplayGuard({ now: 5 as never })).code).toBe("invalid_replay_guard_option");
    const guard = createReplayGuard({ now: () => Number.NaN });
    expect(refusal(() => guard.firstSeen("e1")).code).toBe("invalid_replay_guard_option");
  });

  it.each([
    ["an empty id", ""],
    ["undefined", undefined],
    ["null", null],
    ["an object without id", {}],
    ["a numeric id", { id: 5 }],
  ])("refuses %s with a typed error", (_what, key) => {
    const guard = createReplayGuard();
    expect(refusal(() => guard.firstSeen(key as never)).code).toBe("missing_event_id");
    expect(refusal(() => guard.forget(key as never)).code).toBe("missing_event_id");
  });
});

/** What a Redis store does with SET NX PX and DEL, in memory. */
function memoryStore(): ReplayStore & { calls: unknown[][] } {
  const ids = new Set<string>();
  const calls: unknown[][] = [];
  return {
    calls,
    async add(id, ttlMs) {
      calls.push(["add", id, ttlMs]);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (ids.has(id)) return false;
      ids.add(id);
      return true;
    },
    async delete(id) {
      calls.push(["delete", id]);
      ids.delete(id);
    },
  };
}

describe("createReplayGuard with a shared store (several instances)", () => {
  it("processes an event once across instances sharing the store, even when both receive it at once", async () => {
    const store = memoryStore();
    const [one, two] = [createReplayGuard({ store, ttlMs: 60_000 }), createReplayGuard({ store, ttlMs: 60_000 })];
    expect((await Promise.all([one.firstSeen(event), two.firstSeen(event)])).sort()).toEqual([false, true]);
    expect(store.calls[0]).toEqual(["add", event.id, 60_000]);
    await two.forget(event);
    expect(store.calls.at(-1)).toEqual(["delete", event.id]);
    expect(await one.firstSeen(event.id)).toBe(true);
  });

  it("refuses a store without add and delete, and an add that answers something other than a boolean", async () => {
    expect(refusal(() => createReplayGuard({ store: { add: () => true } as never })).code).toBe(
      "invalid_replay_guard_option",
    );
    // ioredis answers "OK" or null to SET … NX: the store must turn that into a boolean.
    const guard = createReplayGuard({ store: { add: async () => "OK" as never, delete: () => undefined } });
    await expect(guard.firstSeen(event)).rejects.toMatchObject({
      name: "KomojuInvalidRequestError",
      code: "invalid_replay_store",
    });
  });

  it("validates ttlMs and the id before the store is called", async () => {
    const store = memoryStore();
    expect(refusal(() => createReplayGuard({ store, ttlMs: Number.NaN })).code).toBe("invalid_replay_guard_option");
    await expect(createReplayGuard({ store }).firstSeen("")).rejects.toBeInstanceOf(KomojuInvalidRequestError);
    expect(store.calls).toEqual([]);
  });

  it("passes the store's own failure through unchanged", async () => {
    const down = new Error("redis down");
    const guard = createReplayGuard({ store: { add: () => Promise.reject(down), delete: () => undefined } });
    await expect(guard.firstSeen(event)).rejects.toBe(down);
  });
});

describe("the README's Redis store, against a fake with Redis's SET … PX … NX answers", () => {
  /** "OK" when set, null when NX found the key: what ioredis and node-redis return. */
  function fakeRedis() {
    const keys = new Map<string, number>();
    let now = 0;
    return {
      tick: (ms: number) => {
        now += ms;
      },
      async set(key: string, _value: string, _px: "PX", ttlMs: number, _nx: "NX"): Promise<"OK" | null> {
        if ((keys.get(key) ?? -1) > now) return null;
        keys.set(key, now + ttlMs);
        return "OK";
      },
      async del(key: string): Promise<number> {
        return keys.delete(key) ? 1 : 0;
      },
    };
  }

  it("processes an event once per window across instances, and again after forget", async () => {
    const redis = fakeRedis();
    const store: ReplayStore = {
      add: async (id, ttlMs) => (await redis.set(`komoju:event:${id}`, "1", "PX", ttlMs, "NX")) === "OK",
      delete: (id) => redis.del(`komoju:event:${id}`),
    };
    const [one, two] = [createReplayGuard({ store }), createReplayGuard({ store })];
    expect(await one.firstSeen(event)).toBe(true);
    expect(await two.firstSeen(event)).toBe(false);
    // Remembered by default as long as verifyWebhook accepts an event, so no replay falls in between.
    redis.tick(DEFAULT_MAX_EVENT_AGE_MS - 1);
    expect(await two.firstSeen(event)).toBe(false);
    redis.tick(1);
    expect(await two.firstSeen(event)).toBe(true);
    await two.forget(event);
    expect(await one.firstSeen(event)).toBe(true);
  });
});
