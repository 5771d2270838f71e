import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { apiErrorFrom } from "../../src/error-mapping.js";
import { PaymentError } from "../../src/errors.js";
import {
  BadRequestError,
  createKomojuClient,
  KomojuAbortError,
  type KomojuClientOptions,
  KomojuConnectionError,
  KomojuError,
  KomojuInvalidRequestError,
  KomojuInvalidResponseError,
  KomojuTimeoutError,
  type RequestEvent,
  type ResponseEvent,
  UnprocessableEntityError,
} from "../../src/index.js";
import { DEFAULT_RETRY_POLICY } from "../../src/retry.js";
import { createTransport } from "../../src/transport.js";
import { json, raw, startLoopback } from "../support/loopback.js";

const SECRET = "sk_test_hostile_input_secret";
const ID = "e9x5mvx3jkpkofzcg7umfael6";
const session = { id: ID, resource: "session" };

let server: Awaited<ReturnType<typeof startLoopback>>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  server = await startLoopback();
});
afterEach(() => {
  server.received.length = 0;
  server.answer = () => json(200, session);
});
afterAll(async () => {
  await server.close();
  process.off("unhandledRejection", onUnhandled);
});

function client(options: Partial<KomojuClientOptions> = {}) {
  return createKomojuClient({
    secretKey: SECRET,
    baseUrl: server.url,
    timeoutMs: 2_000,
    retryDelay: { baseDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<KomojuError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KomojuError);
  return error as KomojuError;
}

describe("credentials only ever go to the configured baseUrl (issue 11)", () => {
  it('komoju.GET(path, { baseUrl: "http://evil.example" }) sends nothing there, and nothing at all', async () => {
    const urls: string[] = [];
    const komoju = client({ fetch: async (request) => (urls.push(request.url), new Response("{}")) });
    const error = await failure(
      komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl: "http://evil.example" }),
    );
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(error.code).toBe("url_outside_base_url");
    expect(urls).toEqual([]);
  });

  it("refuses another loopback server too, through the global fetch", async () => {
    const evil = await startLoopback();
    try {
      const komoju = client();
      for (const baseUrl of [evil.url, server.url.replace("127.0.0.1", "localhost")]) {
        expect(
          await failure(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl })),
        ).toBeInstanceOf(KomojuInvalidRequestError);
      }
      expect(evil.received).toEqual([]);
      expect(server.received).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it("refuses a look-alike host and a path outside baseUrl's", async () => {
    const urls: string[] = [];
    const fetch = async (request: Request) => (urls.push(request.url), new Response("{}"));
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl: "https://komoju.com/proxy", fetch });
    for (const baseUrl of [
      "https://komoju.com.evil.example/proxy",
      "https://komoju.com/proxyx",
      "https://komoju.com",
    ]) {
      expect(
        await failure(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl })),
      ).toBeInstanceOf(KomojuInvalidRequestError);
    }
    await komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } });
    expect(urls).toEqual([`https://komoju.com/proxy/api/v1/sessions/${ID}`]);
  });

  it("a raw path with /../ or %2e%2e cannot walk out of baseUrl's path (review finding)", async () => {
    const urls: string[] = [];
    const fetch = async (request: Request) => (urls.push(request.url), new Response("{}"));
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl: "https://proxy.example/komoju", fetch });
    for (const path of ["/../admin/x", "/%2e%2e/admin/x", "/api/../../admin"]) {
      const error = await failure((komoju.GET as (url: string) => Promise<unknown>)(path));
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code).toBe("url_outside_base_url");
    }
    expect(urls).toEqual([]);
  });

  it("the raw client has no middleware (openapi-fetch's use/eject) that could rewrite where the key goes", () => {
    const komoju = client();
    expect("use" in komoju).toBe(false);
    expect("eject" in komoju).toBe(false);
  });
});

describe("maxResponseBytes counts decoded bytes (issue 11: memory cap bypass)", () => {
  const big = Buffer.alloc(64 * 1024 * 1024, 0x20);
  // Run-length matching and brotli quality 3 compress these runs of one byte as small as
  // the defaults do (the same 65 kB; 14 bytes), in a sixth of the CPU.
  const rle = { strategy: constants.Z_RLE };
  it.each([
    ["gzip", gzipSync(big, rle)],
    ["deflate", deflateSync(big, rle)],
    [
      "br",
      brotliCompressSync(Buffer.alloc(8 * 1024 * 1024, 0x20), { params: { [constants.BROTLI_PARAM_QUALITY]: 3 } }),
    ],
  ])(
    "a %s body with Content-Length that decodes past the cap is refused without being buffered",
    async (encoding, compressed) => {
      server.answer = () => raw(200, { "content-type": "application/json", "content-encoding": encoding }, compressed);
      const before = process.memoryUsage().rss;
      const error = await failure(client({ maxResponseBytes: 256 * 1024 }).sessions.retrieve(ID));
      expect(error).toBeInstanceOf(KomojuInvalidResponseError);
      expect(error.code).toBe("response_too_large");
      expect(server.received).toHaveLength(1);
      expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    },
  );

  it("an injected fetch whose Content-Length understates its body is still held to the cap (review finding)", async () => {
    const body = JSON.stringify({ ...session, padding: "x".repeat(5_000) });
    const fetch = async () =>
      new Response(body, { headers: { "content-type": "application/json", "content-length": "1" } });
    const error = await failure(client({ fetch, maxResponseBytes: 100 }).sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(error.code).toBe("response_too_large");
  });

  it("a small gzip body under the cap is read and parsed", async () => {
    server.answer = () =>
      raw(200, { "content-type": "application/json", "content-encoding": "gzip" }, gzipSync(JSON.stringify(session)));
    await expect(client({ maxResponseBytes: 1024 }).sessions.retrieve(ID)).resolves.toEqual(session);
  });
});

describe("headers: one list of reserved names for client and call; invalid ones refused before sending (issue 11)", () => {
  it.each([
    ["Authorization", { Authorization: "Basic ZXZpbDo=" }, /must not set Authorization/],
    ["proxy-authorization", { "proxy-authorization": "Basic x" }, /must not set proxy-authorization/],
    ["cookie", { cookie: "a=b" }, /must not set cookie/],
    ["the idempotency header", { "X-KOMOJU-IDEMPOTENCY": "mine" }, /pass idempotencyKey/],
    ["content-type", { "content-type": "text/plain" }, /must not set content-type/],
    ["content-length", { "content-length": "1" }, /must not set content-length/],
    ["host", { host: "evil.example" }, /must not set host/],
    ["transfer-encoding", { "transfer-encoding": "chunked" }, /must not set transfer-encoding/],
    [
      "a value with CR/LF",
      { "x-note": "a\r\nx-injected: 1" },
      /options.headers.x-note must be a string of printable ASCII/,
    ],
    ["a non-ASCII value", { "x-note": "日本語" }, /printable ASCII/],
    ["a name with a space", { "x note": "1" }, /valid header names/],
    ["a name with a colon", { "x:note": "1" }, /valid header names/],
    ["a value that is a number", { "x-note": 1 as unknown as string }, /must be a string/],
  ])(
    "a per-call header %s is refused with KomojuInvalidRequestError, nothing sent",
    async (_what, headers, message) => {
      for (const call of [
        () => client().sessions.retrieve(ID, { headers }),
        () =>
          client().sessions.create({ amount: 1, currency: "JPY", return_url: "https://e.com" } as never, { headers }),
      ]) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(KomojuInvalidRequestError);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain("ZXZpbDo");
      }
      expect(server.received).toEqual([]);
    },
  );

  it.each([
    "Authorization",
    "proxy-authorization",
    "cookie",
    "user-agent",
    "transfer-encoding",
    "content-length",
    "connection",
    "host",
  ])("the raw client with a %s header: KomojuInvalidRequestError, nothing sent, not retried", async (name) => {
    const error = await failure(
      client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, headers: { [name]: "1" } }),
    );
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(server.received).toEqual([]);
  });

  it("the raw client with a CR/LF or non-Latin-1 header value: KomojuInvalidRequestError that does not quote it, nothing sent", async () => {
    for (const value of ["a\r\nx-injected: sk_live_x", "日本"]) {
      const error = await failure(
        client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, headers: { "x-note": value } }),
      );
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.message).not.toContain("sk_live_x");
    }
    expect(server.received).toEqual([]);
  });

  it("the raw client still takes an idempotency key and the API version as headers", async () => {
    server.answer = () => json(200, session);
    await client().POST("/api/v1/sessions/{id}/cancel", {
      params: { path: { id: ID } },
      headers: { "X-KOMOJU-IDEMPOTENCY": "order-1-cancel", "X-KOMOJU-API-VERSION": "2024-07-15" },
    });
    expect(server.received[0]!.headers).toMatchObject({
      "x-komoju-idempotency": "order-1-cancel",
      "x-komoju-api-version": "2024-07-15",
      authorization: `Basic ${btoa(`${SECRET}:`)}`,
    });
  });

  it("a per-call Authorization can never replace the key, whatever its case", async () => {
    await failure(client().sessions.retrieve(ID, { headers: { AUTHORIZATION: "Basic ZXZpbDo=" } }));
    expect(server.received).toEqual([]);
  });

  it("accepts a Headers instance and [name, value] pairs, and sends them", async () => {
    await client().sessions.retrieve(ID, { headers: new Headers({ "x-a": "1" }) as never });
    await client().sessions.retrieve(ID, { headers: [["x-b", "2"]] as never });
    expect(server.received.map((r) => [r.headers["x-a"], r.headers["x-b"]])).toEqual([
      ["1", undefined],
      [undefined, "2"],
    ]);
  });

  it("hooks see authorization, proxy-authorization, cookie, x-api-key and other credentials redacted", async () => {
    const seen: RequestEvent[] = [];
    const komoju = client({
      headers: { "x-api-key": "k1", "x-auth-token": "k2", "x-client-secret": "k3", "x-trace": "visible" },
      hooks: { onRequest: (e) => void seen.push(e) },
    });
    await komoju.sessions.retrieve(ID);
    expect(seen[0]!.headers).toMatchObject({
      authorization: "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "x-auth-token": "[REDACTED]",
      "x-client-secret": "[REDACTED]",
      "x-trace": "visible",
    });
    expect(server.received[0]!.headers["x-api-key"]).toBe("k1");
  });
});

describe("hooks never crash a call (issue 11)", () => {
  it("async hooks that reject cause no unhandled rejection and no failure", async () => {
    const komoju = client({
      hooks: {
        onRequest: async () => {
          throw new Error("logger down");
        },
        onResponse: () => Promise.reject(new Error("logger down")),
      },
    });
    await expect(komoju.sessions.retrieve(ID)).resolves.toEqual(session);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});

describe("every failure is a KomojuError subclass (issue 11: wrong error type)", () => {
  it.each([
    ["a message that is an object", { error: { code: "bad_request", message: { toString: 1 }, param: ["x"] } }],
    ["a message that is a number", { error: { code: "bad_request", message: 5 } }],
    ["a code that is not a string", { error: { code: 42, message: "x" } }],
    ["error: null", { error: null }],
    ["a bare string", "oops"],
    ["deeply nested JSON", "[".repeat(100_000) + "]".repeat(100_000)],
  ])("a 400 with %s: BadRequestError", async (_what, body) => {
    server.answer = () => json(400, body);
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(typeof error.message).toBe("string");
  });

  it("options null is no options; options { signal: 'x' }, a string or a bad idempotencyKey type are refused, nothing sent", async () => {
    await expect(client().sessions.retrieve(ID, null as never)).resolves.toEqual(session);
    server.received.length = 0;
    for (const options of [{ signal: "x" }, { signal: {} }, "x", 5, { idempotencyKey: 5 }]) {
      const error = await failure(client().sessions.retrieve(ID, options as never));
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code).toBe("invalid_request_options");
    }
    expect(server.received).toEqual([]);
  });

  it.each([600, 999])("the raw client on status %i: KomojuInvalidResponseError, not retried", async (status) => {
    server.answer = () => json(status, {});
    const error = await failure(client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } }));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(error.code).toBe("invalid_status");
    expect(server.received).toHaveLength(1);
  });

  it("options with a throwing getter, and a raw request with a non-string method, reject with KomojuInvalidRequestError instead of throwing a TypeError; nothing sent (review finding)", async () => {
    const komoju = client();
    const hostile = Object.defineProperty({}, "timeoutMs", {
      get: () => {
        throw new Error("getter");
      },
      enumerable: true,
    });
    const error = await failure(komoju.sessions.retrieve(ID, hostile as never));
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    const raw = komoju.request as unknown as (method: unknown, url: string) => Promise<unknown>;
    const promise = Promise.resolve().then(() => raw(123, "/api/v1/sessions/{id}"));
    expect(await failure(promise)).toBeInstanceOf(KomojuInvalidRequestError);
    expect(server.received).toHaveLength(0);
  });

  it("a raw method outside the spec's (malformed, CONNECT, TRACE) rejects with KomojuInvalidRequestError, not a connection error, and is never sent as another method (review finding)", async () => {
    const raw = client().request as unknown as (method: string, url: string) => Promise<unknown>;
    for (const method of ["GE T", "GET\r\nX-Evil: 1", "CONNECT", "trace", "PROPFIND"]) {
      const error = await failure(raw(method, "/api/v1/sessions"));
      expect(error, method).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code, method).toBe("invalid_method");
    }
    expect(server.received).toHaveLength(0);
    await raw("get", "/api/v1/sessions/e9x5mvx3jkpkofzcg7umfael6");
    expect(server.received.map((r) => r.method)).toEqual(["GET"]);
  });

  it("an injected fetch that ignores its signal still ends the attempt: at timeoutMs before or after the headers, at once on the caller's abort (review finding)", async () => {
    const never = () => new Promise<never>(() => undefined);
    const hangs = () => never();
    const endlessBody = async () => new Response(new ReadableStream({ pull: never }), { status: 200 });
    for (const fetch of [hangs, endlessBody]) {
      const started = performance.now();
      const error = await failure(client({ fetch, timeoutMs: 50, maxRetries: 0 }).sessions.retrieve(ID));
      expect(error).toBeInstanceOf(KomojuTimeoutError);
      expect(performance.now() - started).toBeLessThan(1_500);
      const controller = new AbortController();
      const aborted = client({ fetch, maxRetries: 0 }).sessions.retrieve(ID, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      expect(await failure(aborted)).toBeInstanceOf(KomojuAbortError);
    }
    expect(unhandled).toEqual([]);
  });

  it("a response that comes after its attempt gave up has its body cancelled, not left holding the connection (review finding)", async () => {
    let cancelled = false;
    const late = () =>
      new Promise<Response>((resolve) =>
        setTimeout(
          () => resolve(new Response(new ReadableStream({ cancel: () => void (cancelled = true) }), { status: 200 })),
          100,
        ),
      );
    expect(await failure(client({ fetch: late, timeoutMs: 20, maxRetries: 0 }).sessions.retrieve(ID))).toBeInstanceOf(
      KomojuTimeoutError,
    );
    await vi.waitFor(() => expect(cancelled).toBe(true), { timeout: 2_000 });
    expect(unhandled).toEqual([]);
  });

  it("an abort from within onRequest ends the call at once, not at timeoutMs (review finding)", async () => {
    const controller = new AbortController();
    const hangs = () => new Promise<never>(() => undefined);
    const started = performance.now();
    const call = client({
      fetch: hangs,
      timeoutMs: 5_000,
      hooks: { onRequest: () => controller.abort() },
    }).sessions.retrieve(ID, { signal: controller.signal });
    expect(await failure(call)).toBeInstanceOf(KomojuAbortError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("the raw client on 205 with a body: a response without one, no SyntaxError", async () => {
    server.answer = () => json(205, "not json at all");
    const { data, response } = await client().POST("/api/v1/sessions/{id}/cancel", { params: { path: { id: ID } } });
    expect(response.status).toBe(205);
    expect(data).toBeUndefined();
  });

  it("the raw client on a 200 that is not JSON: KomojuInvalidResponseError", async () => {
    server.answer = () => raw(200, { "content-type": "application/json" }, "<html>");
    expect(await failure(client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } }))).toBeInstanceOf(
      KomojuInvalidResponseError,
    );
  });
});

describe("per-call maxRetries and timeoutMs are validated (issue 11)", () => {
  it.each([
    ["maxRetries: Infinity", { maxRetries: Infinity }],
    ["maxRetries: NaN", { maxRetries: NaN }],
    ["maxRetries: -1", { maxRetries: -1 }],
    ["maxRetries: 1.5", { maxRetries: 1.5 }],
    ["maxRetries: 11", { maxRetries: 11 }],
    ["timeoutMs: 0", { timeoutMs: 0 }],
    ["timeoutMs: -1", { timeoutMs: -1 }],
    ["timeoutMs: NaN", { timeoutMs: NaN }],
    ["timeoutMs: Infinity", { timeoutMs: Infinity }],
    ["timeoutMs: 2^31 (setTimeout would fire after 1 ms)", { timeoutMs: 2 ** 31 }],
    ["timeoutMs: '5'", { timeoutMs: "5" as unknown as number }],
  ])("%s is refused before anything is sent", async (_what, options) => {
    const error = await failure(client().sessions.retrieve(ID, options));
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(error.message).toMatch(/options\.(maxRetries|timeoutMs) must be an integer from/);
    expect(server.received).toEqual([]);
  });

  it("the largest timeout setTimeout keeps is accepted and does not fire early", async () => {
    server.answer = (_r, i) => (i === 0 ? "hang" : json(200, session));
    const controller = new AbortController();
    const pending = client().sessions.retrieve(ID, { timeoutMs: 2 ** 31 - 1, signal: controller.signal });
    await vi.waitFor(() => expect(server.received).toHaveLength(1), { interval: 5 });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    expect((await failure(pending)).code).toBe("aborted");
  });
});

describe("a 2xx body must be what the operation declares (issue 11)", () => {
  it.each([
    ["empty", ""],
    ["null", "null"],
    ["a number", "5"],
    ["an array", "[]"],
    ["a string", '"session"'],
  ])("%s from retrieve: KomojuInvalidResponseError, not resolved as the resource", async (_what, body) => {
    server.answer = () => raw(200, { "content-type": "application/json" }, body);
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(["invalid_json", "unexpected_body"]).toContain(error.code);
    expect(server.received).toHaveLength(1);
  });

  it.each([204, 205])("a %i where the operation declares an object: KomojuInvalidResponseError", async (status) => {
    server.answer = () => raw(status, {});
    expect((await failure(client().sessions.retrieve(ID))).code).toBe("invalid_json");
  });

  it("expectBody lets an operation declare an array, any JSON or no body", async () => {
    const send = createTransport({
      authorization: "Basic x",
      baseUrl: server.url,
      apiVersion: null,
      fetch: (url, init) => fetch(url, init),
      retry: DEFAULT_RETRY_POLICY,
      timeoutMs: 2_000,
      maxResponseBytes: 1024,
      hooks: {},
    });
    const url = `${server.url}/api/v1/payment_methods`;
    server.answer = () => json(200, [{ type_slug: "konbini" }]);
    expect((await send({ method: "GET", url, headers: {}, expectBody: "array" })).data).toEqual([
      { type_slug: "konbini" },
    ]);
    expect(
      await failure(
        send({ method: "GET", url, headers: {}, expectBody: "array" }).then(() =>
          send({ method: "GET", url, headers: {} }),
        ),
      ),
    ).toBeInstanceOf(KomojuInvalidResponseError);
    server.answer = () => raw(200, {}, "");
    expect((await send({ method: "POST", url, headers: {}, expectBody: false })).data).toBeUndefined();
    expect((await send({ method: "GET", url, headers: {}, expectBody: "json" })).data).toBeUndefined();
    server.answer = () => raw(200, { "content-type": "text/csv" }, "a,b\n1,2\n");
    expect((await send({ method: "GET", url, headers: {}, expectBody: false })).text).toBe("a,b\n1,2\n");
  });
});

describe("Retry-After values RFC 9110 does not allow fall back to the backoff (issue 11)", () => {
  it.each(["-5", "5, 6", "foo 1"])("Retry-After: %s", async (retryAfter) => {
    server.answer = (_r, i) =>
      i === 0
        ? json(429, { error: { code: "too_many_requests", message: "slow down" } }, { "retry-after": retryAfter })
        : json(200, session);
    const events: ResponseEvent[] = [];
    await client({
      retryDelay: { baseDelayMs: 40, maxDelayMs: 40 },
      hooks: { onResponse: (e) => void events.push(e) },
    }).sessions.retrieve(ID);
    expect(events[0]!.retryDelayMs).toBeGreaterThanOrEqual(30);
    expect(events[0]!.retryDelayMs).toBeLessThanOrEqual(40);
  });
});

describe("one AbortSignal shared by many calls (issue 11)", () => {
  it("more than 10 concurrent calls on one signal print no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const { signal } = new AbortController();
      const komoju = client();
      await Promise.all(Array.from({ length: 25 }, () => komoju.sessions.retrieve(ID, { signal })));
      await new Promise((r) => setTimeout(r, 20));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
      expect(server.received).toHaveLength(25);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("aborting that signal still ends every one of them", async () => {
    server.answer = () => "hang";
    const controller = new AbortController();
    const komoju = client();
    const calls = Array.from({ length: 12 }, () =>
      failure(komoju.sessions.retrieve(ID, { signal: controller.signal })),
    );
    await vi.waitFor(() => expect(server.received).toHaveLength(12), { interval: 5 });
    controller.abort();
    expect((await Promise.all(calls)).map((e) => e.code)).toEqual(Array(12).fill("aborted"));
  });
});

describe("KOMOJU's codes choose the error and the retry (issue 12)", () => {
  it.each(["card_declined", "insufficient_funds", "card_expired", "bad_verification_value"])(
    "a 502 %s is thrown once as PaymentError carrying the code",
    async (code) => {
      server.answer = () => json(502, { error: { code, message: "The card was declined", param: null } });
      const error = await failure(client().sessions.pay(ID, { payment_details: "tok_x" } as never));
      expect(error).toBeInstanceOf(PaymentError);
      expect(error.code).toBe(code);
      expect(error.status).toBe(502);
      expect(server.received).toHaveLength(1);
    },
  );

  it("a 502 bad_gateway, a 502 without a code and an HTML 502 are retried", async () => {
    for (const answer of [
      json(502, { error: { code: "bad_gateway", message: "x" } }),
      json(502, {}),
      raw(502, { "content-type": "text/html" }, "<h1>502</h1>"),
    ]) {
      server.received.length = 0;
      server.answer = (_r, i) => (i === 0 ? answer : json(200, session));
      await expect(client().sessions.retrieve(ID)).resolves.toEqual(session);
      expect(server.received).toHaveLength(2);
    }
  });

  it("a 402 request_failed is a PaymentError", async () => {
    server.answer = () => json(402, { error: { code: "request_failed", message: "Request failed" } });
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(PaymentError);
    expect(server.received).toHaveLength(1);
  });

  it("messages do not say 'session' where the operation is not a session's", async () => {
    const send = createTransport({
      authorization: "Basic x",
      baseUrl: server.url,
      apiVersion: null,
      fetch: (u, i) => fetch(u, i),
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0 },
      timeoutMs: 30,
      maxResponseBytes: 1024,
      hooks: {},
    });
    const errors: KomojuError[] = [];
    for (const answer of [
      raw(200, {}, "[]"),
      raw(200, {}, "<html>"),
      raw(200, {}, "x".repeat(2048)),
      "hang" as const,
    ]) {
      server.answer = () => answer;
      errors.push(await failure(send({ method: "GET", url: `${server.url}/api/v1/payments/pay_1`, headers: {} })));
    }
    for (const status of [400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504])
      errors.push(apiErrorFrom({ status, headers: new Headers(), text: "{}" }));
    expect(errors).toHaveLength(16);
    for (const error of errors) expect(error.message).not.toMatch(/session/i);
  });
});

describe("messages say what failed and where (issue 15)", () => {
  it("a connection error names the method, the origin, the cause code and the attempts, never the key", async () => {
    const gone = await startLoopback();
    const url = gone.url;
    await gone.close();
    const error = await failure(
      createKomojuClient({
        secretKey: SECRET,
        baseUrl: url,
        retryDelay: { baseDelayMs: 1, maxDelayMs: 1 },
      }).sessions.retrieve(ID),
    );
    expect(error).toBeInstanceOf(KomojuConnectionError);
    expect(error.message).toBe(`GET /api/v1/sessions/${ID}: could not reach ${url} (ECONNREFUSED) after 3 attempts.`);
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it.each([
    [
      "a certificate error",
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }),
      }),
      "CERT_HAS_EXPIRED",
    ],
    [
      "a DNS failure",
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND komoju.com"), { code: "ENOTFOUND" }),
      }),
      "ENOTFOUND",
    ],
    [
      "an AggregateError of addresses",
      Object.assign(new TypeError("fetch failed"), {
        cause: new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]),
      }),
      "ECONNREFUSED",
    ],
    ["no code at all", new TypeError("fetch failed"), "fetch failed"],
  ])("a connection error from %s names its cause code", async (_what, thrown, code) => {
    const komoju = createKomojuClient({
      secretKey: SECRET,
      maxRetries: 1,
      retryDelay: { baseDelayMs: 0, maxDelayMs: 0 },
      fetch: () => Promise.reject(thrown),
    });
    const error = await failure(komoju.sessions.cancel(ID));
    expect(error).toBeInstanceOf(KomojuConnectionError);
    expect(error.message).toBe(
      `POST /api/v1/sessions/${ID}/cancel: could not reach https://komoju.com (${code}) after 2 attempts.`,
    );
  });

  it("a response with sl-violations (Prism) puts its first violation in the message", async () => {
    const violations = [
      {
        location: ["request", "body", "return_url"],
        severity: "Error",
        code: "required",
        message: "must have required property 'return_url'",
      },
      { location: ["request", "body"], severity: "Error", code: "x", message: "second" },
    ];
    server.answer = () =>
      json(
        422,
        { error: { code: "missing_parameter", message: "A required parameter (amount) is missing", param: "amount" } },
        { "sl-violations": JSON.stringify(violations) },
      );
    const error = await failure(client().sessions.create({ amount: 1 } as never));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error.message).toContain("request.body.return_url: must have required property 'return_url'");
    expect(error.message).not.toContain("second");
  });

  it("sends User-Agent komoju-ts/<package.json version> (node/<version>) on every request", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    server.answer = (_r, i) => (i === 0 ? json(503, {}) : json(200, session));
    await client().sessions.retrieve(ID);
    expect(server.received.map((r) => r.headers["user-agent"])).toEqual(
      Array(2).fill(`komoju-ts/${version} (node/${process.versions.node})`),
    );
  });

  it.each([
    ["KOMOJU_LOG=debug", {}, "debug"],
    ["logLevel: 'debug'", { logLevel: "debug" as const }, undefined],
  ])("%s prints one redacted line per attempt", async (_what, options, env) => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "debug").mockImplementation((line: string) => void lines.push(line));
    vi.stubEnv("KOMOJU_LOG", env);
    try {
      server.answer = (_r, i) => (i === 0 ? json(500, {}) : json(200, session));
      await client({ ...options, headers: { "x-api-key": "k1" } }).sessions.retrieve(ID);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^komoju-ts GET ${server.url}/api/v1/sessions/${ID} attempt 1: 500 in \\d+ ms, retry in \\d+ ms`),
    );
    expect(lines[1]).toMatch(/attempt 2: 200 in \d+ ms/);
    for (const line of lines) {
      expect(line).not.toContain(btoa(`${SECRET}:`));
      expect(line).not.toContain("k1");
      expect(line).toContain('"authorization":"[REDACTED]"');
    }
  });

  it("prints nothing without KOMOJU_LOG or logLevel", async () => {
    const spy = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    vi.stubEnv("KOMOJU_LOG", undefined);
    try {
      await client().sessions.retrieve(ID);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
