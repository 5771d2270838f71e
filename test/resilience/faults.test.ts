import { mkdirSync, writeFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createKomojuClient,
  KomojuAbortError,
  KomojuBadRequestError,
  type KomojuClientOptions,
  KomojuConnectionError,
  KomojuError,
  KomojuIdempotencyConflictError,
  KomojuInvalidResponseError,
  KomojuNotFoundError,
  KomojuRateLimitError,
  KomojuServerError,
  KomojuTimeoutError,
  KomojuUnprocessableEntityError,
  type ResponseEvent,
} from "../../src/index.js";
import { type Fault, startFaultServer } from "./fault-server.js";

const SECRET = "sk_test_fault_injection_secret";
const AUTH_TOKEN = btoa(`${SECRET}:`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: Awaited<ReturnType<typeof startFaultServer>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const allErrors: unknown[] = [];
const allEvents: ResponseEvent[] = [];
/** The fault matrix's rows by "method fault": the timed tests finish in any order. */
const matrix = new Map<string, string>();

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  server = await startFaultServer();
});

afterAll(async () => {
  await server.close();
  await new Promise((r) => setTimeout(r, 50));
  process.off("unhandledRejection", onUnhandled);
  mkdirSync("test-results", { recursive: true });
  writeFileSync(
    "test-results/fault-matrix.md",
    [
      "| fault | method | attempts | outcome |",
      "|---|---|---|---|",
      ...(["GET", "POST"] as const).flatMap((method) =>
        persistent.map(([fault]) => matrix.get(`${method} ${fault}`) ?? []),
      ),
    ]
      .map((line) => `${line}\n`)
      .join(""),
  );
});

function client(options: Partial<KomojuClientOptions> = {}) {
  const events: ResponseEvent[] = [];
  const komoju = createKomojuClient({
    secretKey: SECRET,
    baseUrl: server.url,
    // Long enough that a loaded CI machine still answers "ok" in time, short enough
    // that hung attempts keep the suite quick.
    timeoutMs: 300,
    maxResponseBytes: 256 * 1024,
    retryDelay: { baseDelayMs: 2, maxDelayMs: 8, retryAfterCapMs: 20 },
    hooks: {
      onResponse: (event) => {
        events.push(event);
        allEvents.push(event);
      },
    },
    ...options,
  });
  return { komoju, events };
}

const calls = {
  GET: (c: ReturnType<typeof client>["komoju"], signal?: AbortSignal) =>
    c.sessions.retrieve("e9x5mvx3jkpkofzcg7umfael6", { signal }),
  POST: (c: ReturnType<typeof client>["komoju"], signal?: AbortSignal) =>
    c.sessions.create(
      { amount: 8888, currency: "JPY", return_url: "https://example.com", metadata: { note: "日本語" } },
      { signal },
    ),
};

async function outcome(promise: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: KomojuError }> {
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    allErrors.push(error);
    expect(error).toBeInstanceOf(KomojuError);
    return { ok: false, error: error as KomojuError };
  }
}

type Method = (typeof METHODS)[number];
type FaultServer = Awaited<ReturnType<typeof startFaultServer>>;
const METHODS = ["GET", "POST"] as const;

/** A server of the test's own, closed when it ends, for a test that runs beside others. */
async function ownServer(onTestFinished: (fn: () => Promise<void>) => void) {
  const own = await startFaultServer();
  onTestFinished(() => own.close());
  return own;
}

type Expected =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; type: new (...args: never[]) => KomojuError; code: string; status?: number };

/** Each fault, answered on every attempt, and what the client must make of it with maxRetries = 2. */
const persistent: [Fault, Expected][] = [
  ["ok", { ok: true, attempts: 1 }],
  ["reset", { ok: false, attempts: 3, type: KomojuConnectionError, code: "connection_error" }],
  ["hang", { ok: false, attempts: 3, type: KomojuTimeoutError, code: "timeout" }],
  ["trickle", { ok: false, attempts: 3, type: KomojuTimeoutError, code: "timeout", status: 200 }],
  ["429", { ok: false, attempts: 3, type: KomojuRateLimitError, code: "too_many_requests", status: 429 }],
  ["409", { ok: false, attempts: 3, type: KomojuIdempotencyConflictError, code: "conflict", status: 409 }],
  ["500", { ok: false, attempts: 3, type: KomojuServerError, code: "internal_server_error", status: 500 }],
  ["502", { ok: false, attempts: 3, type: KomojuServerError, code: "bad_gateway", status: 502 }],
  ["503", { ok: false, attempts: 3, type: KomojuServerError, code: "service_unavailable", status: 503 }],
  ["504", { ok: false, attempts: 3, type: KomojuServerError, code: "gateway_timeout", status: 504 }],
  ["html-502", { ok: false, attempts: 3, type: KomojuServerError, code: "bad_gateway", status: 502 }],
  ["truncated", { ok: false, attempts: 3, type: KomojuInvalidResponseError, code: "truncated_response", status: 200 }],
  ["malformed-json", { ok: false, attempts: 1, type: KomojuInvalidResponseError, code: "invalid_json", status: 200 }],
  ["huge", { ok: false, attempts: 1, type: KomojuInvalidResponseError, code: "response_too_large", status: 200 }],
  [
    "huge-declared",
    { ok: false, attempts: 1, type: KomojuInvalidResponseError, code: "response_too_large", status: 200 },
  ],
  ["400", { ok: false, attempts: 1, type: KomojuBadRequestError, code: "bad_request", status: 400 }],
  ["404", { ok: false, attempts: 1, type: KomojuNotFoundError, code: "not_found", status: 404 }],
  ["422", { ok: false, attempts: 1, type: KomojuUnprocessableEntityError, code: "missing_parameter", status: 422 }],
];

// Faults that end only when the client's timeout fires (900 ms for three attempts): their
// tests wait rather than work, so they run concurrently, GET's and POST's in one group
// (vitest runs up to five at a time), each with a server of its own.
const TIMED: Fault[] = ["hang", "trickle"];
const timed = (c: readonly [Fault, ...unknown[]]) => TIMED.includes(c[0]);

async function onEveryAttempt(method: Method, fault: Fault, expected: Expected, server: FaultServer) {
  server.plan([fault]);
  const { komoju } = client({ baseUrl: server.url });
  const result = await outcome(calls[method](komoju));
  expect(result.ok).toBe(expected.ok);
  expect(server.seen).toHaveLength(expected.attempts);
  if (!result.ok && !expected.ok) {
    expect(result.error).toBeInstanceOf(expected.type);
    expect(result.error.code).toBe(expected.code);
    expect(result.error.status).toBe(expected.status);
    if (fault === "html-502") expect(result.error.body).toContain("502 Bad Gateway");
    if (fault === "malformed-json") expect(result.error.body).toContain('"resource": ');
  }
  const keys = server.seen.map((s) => s.idempotencyKey);
  if (method === "POST") {
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(UUID);
    if (!result.ok) expect(result.error.idempotencyKey).toBe(keys[0]);
    // Each attempt sends the whole body afresh.
    expect(new Set(server.seen.map((s) => s.body)).size).toBe(1);
    expect(JSON.parse(server.seen[0]!.body)).toMatchObject({ amount: 8888, metadata: { note: "日本語" } });
  } else {
    expect(keys.every((k) => k === undefined)).toBe(true);
  }
  matrix.set(
    `${method} ${fault}`,
    `| ${fault} | ${method} | ${server.seen.length} | ${result.ok ? "success" : `${result.error.name} ${result.error.code}${result.error.status ? ` (${result.error.status})` : ""}`} |`,
  );
}

async function onceThenSuccess(method: Method, fault: Fault, server: FaultServer) {
  server.plan([fault, "ok"]);
  const { komoju } = client({ baseUrl: server.url });
  const result = await outcome(calls[method](komoju));
  expect(result).toEqual({ ok: true });
  expect(server.seen).toHaveLength(2);
  if (method === "POST") expect(server.seen[0]!.idempotencyKey).toBe(server.seen[1]!.idempotencyKey);
}

const retried = persistent.filter(([, e]) => e.attempts === 3).map(([fault]) => [fault] as [Fault]);

describe.each(METHODS)("fault injection, %s", (method) => {
  it.each(persistent.filter((c) => !timed(c)))("%s on every attempt", (fault, expected) =>
    onEveryAttempt(method, fault, expected, server),
  );
  it.each(retried.filter((c) => !timed(c)))("%s once, then success: recovered on the retry", (fault) =>
    onceThenSuccess(method, fault, server),
  );

  it("a caller's abort during a hung attempt: KomojuAbortError, never retried", async () => {
    server.plan(["hang"]);
    const { komoju } = client({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const pending = outcome(calls[method](komoju, controller.signal));
    await vi.waitFor(() => expect(server.seen).toHaveLength(1), { interval: 5 });
    controller.abort();
    const result = await pending;
    expect(result.ok ? undefined : result.error).toBeInstanceOf(KomojuAbortError);
    expect(server.seen).toHaveLength(1);
  });

  it("a caller's abort while waiting to retry: KomojuAbortError, no further attempt", async () => {
    server.plan(["503"]);
    const controller = new AbortController();
    // Abort as soon as the client reports it is about to wait 5 s before retrying.
    const { komoju } = client({
      retryDelay: { baseDelayMs: 5_000, maxDelayMs: 5_000 },
      hooks: { onResponse: (event) => event.retryDelayMs !== undefined && setTimeout(() => controller.abort(), 10) },
    });
    const started = performance.now();
    const result = await outcome(calls[method](komoju, controller.signal));
    expect(result.ok ? undefined : result.error).toBeInstanceOf(KomojuAbortError);
    expect(result.ok ? undefined : (result.error as Error).message).toMatch(/while waiting to retry/);
    // The abort ends the 5 s wait itself, rather than being noticed once it is over.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(server.seen).toHaveLength(1);
  });

  it("a signal aborted before the call: KomojuAbortError, nothing sent", async () => {
    server.plan(["ok"]);
    const { komoju } = client();
    const result = await outcome(calls[method](komoju, AbortSignal.abort()));
    expect(result.ok ? undefined : result.error).toBeInstanceOf(KomojuAbortError);
    expect(server.seen).toHaveLength(0);
  });

  it("maxRetries: 0 makes one attempt; a per-call maxRetries overrides the client's", async () => {
    server.plan(["503"]);
    await outcome(calls[method](client({ maxRetries: 0 }).komoju));
    expect(server.seen).toHaveLength(1);
    server.plan(["503"]);
    const { komoju } = client({ maxRetries: 0 });
    await outcome(
      method === "GET"
        ? komoju.sessions.retrieve("abc", { maxRetries: 4 })
        : komoju.sessions.cancel("abc", { maxRetries: 4 }),
    );
    expect(server.seen).toHaveLength(5);
  });
});

describe("fault injection, timed, GET and POST side by side", () => {
  const everyAttempt = METHODS.flatMap((method) =>
    persistent.filter(timed).map(([fault, expected]) => [method, fault, expected] as const),
  );
  const onceThen = METHODS.flatMap((method) => retried.filter(timed).map(([fault]) => [method, fault] as const));
  it.concurrent.for(everyAttempt)("%s: %s on every attempt", async ([method, fault, expected], { onTestFinished }) =>
    onEveryAttempt(method, fault, expected, await ownServer(onTestFinished)),
  );
  it.concurrent.for(onceThen)(
    "%s: %s once, then success: recovered on the retry",
    async ([method, fault], { onTestFinished }) => onceThenSuccess(method, fault, await ownServer(onTestFinished)),
  );
});

describe("idempotency keys", () => {
  it("one key per logical call: two creates, two keys", async () => {
    server.plan(["503", "ok", "503", "ok"]);
    const { komoju } = client();
    await calls.POST(komoju);
    await calls.POST(komoju);
    const keys = server.seen.map((s) => s.idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).toBe(keys[3]);
    expect(keys[0]).not.toBe(keys[2]);
  });

  it("the caller's key is used on every attempt, and the raw client gets one too", async () => {
    server.plan(["500", "ok"]);
    const { komoju } = client();
    await komoju.sessions.cancel("abc", { idempotencyKey: "order-42-cancel" });
    expect(server.seen.map((s) => s.idempotencyKey)).toEqual(["order-42-cancel", "order-42-cancel"]);
    server.plan(["ok"]);
    await komoju.POST("/api/v1/sessions/{id}/cancel", { params: { path: { id: "abc" } } });
    expect(server.seen[0]!.idempotencyKey).toMatch(UUID);
  });
});

describe("backoff", () => {
  it("grows exponentially with jitter, within [75%, 100%] of each step", async () => {
    server.plan(["503", "503", "ok"]);
    const { komoju, events } = client({ retryDelay: { baseDelayMs: 10, maxDelayMs: 15 } });
    await calls.GET(komoju);
    const delays = events.map((e) => e.retryDelayMs);
    expect(delays[0]).toBeGreaterThanOrEqual(7.5);
    expect(delays[0]).toBeLessThanOrEqual(10);
    expect(delays[1]).toBeGreaterThanOrEqual(11.25);
    expect(delays[1]).toBeLessThanOrEqual(15);
    expect(delays[2]).toBeUndefined();
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it.each([
    ["seconds, capped", "1", { retryAfterCapMs: 20 }, 20],
    ["seconds under the cap", "0", { retryAfterCapMs: 20 }, 0],
    ["an HTTP date, capped", new Date(Date.now() + 60_000).toUTCString(), { retryAfterCapMs: 25 }, 25],
  ])("honours Retry-After as %s", async (_what, retryAfter, retryDelay, expected) => {
    server.plan(["429", "ok"], { retryAfter });
    const { komoju, events } = client({ retryDelay });
    await calls.POST(komoju);
    expect(events[0]!.retryDelayMs).toBe(expected);
    expect(server.seen).toHaveLength(2);
  });
});

describe("secret hygiene and observability", () => {
  it("hooks see method, URL, attempt, status and key, with Authorization redacted", async () => {
    server.plan(["500", "ok"]);
    const seen: unknown[] = [];
    const { komoju } = client({ hooks: { onRequest: (e) => seen.push(e), onResponse: (e) => seen.push(e) } });
    await calls.POST(komoju);
    expect(seen).toHaveLength(4);
    expect(seen[0]).toMatchObject({
      method: "POST",
      attempt: 1,
      url: `${server.url}/api/v1/sessions`,
      headers: { authorization: "[REDACTED]" },
    });
    expect(seen[1]).toMatchObject({ attempt: 1, status: 500 });
    expect(seen[3]).toMatchObject({ attempt: 2, status: 200, retryDelayMs: undefined });
    expect((seen[0] as { idempotencyKey: string }).idempotencyKey).toMatch(UUID);
    expect(server.seen[0]!.authorization).toBe(`Basic ${AUTH_TOKEN}`);
  });

  it("a hook that throws does not fail the call", async () => {
    server.plan(["ok"]);
    const { komoju } = client({
      hooks: {
        onRequest: () => {
          throw new Error("logger down");
        },
        onResponse: () => {
          throw new Error("logger down");
        },
      },
    });
    await expect(calls.GET(komoju)).resolves.toMatchObject({ resource: "session" });
  });

  it("no error, hook event or client ever shows the secret key or the Authorization header", () => {
    expect(allErrors.length).toBeGreaterThan(40);
    const { komoju } = client();
    const texts = [
      ...allErrors.flatMap((e) => [
        String(e),
        (e as Error).message,
        (e as Error).stack ?? "",
        JSON.stringify(e),
        inspect(e, { depth: Infinity, showHidden: true }),
      ]),
      JSON.stringify(allEvents),
      inspect(komoju, { depth: Infinity, showHidden: true }),
    ];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(AUTH_TOKEN);
    }
  });

  it("no unhandled rejection happened during the whole suite", async () => {
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});
