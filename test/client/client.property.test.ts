import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createKomojuClient,
  type KomojuClientOptions,
  KomojuError,
  KomojuInvalidRequestError,
} from "../../src/index.js";
import { binaryString } from "../support/binary-string.js";
import { expectNoUnhandledRejections } from "../support/unhandled-rejections.js";

// Properties over every input a caller controls. For every run: a failure is a
// KomojuError subclass; refused input sends nothing; nothing leaves the configured origin
// (nor, for the helpers, the operation's path); and no promise is left to reject unhandled.

const SECRET = "sk_test_adversarial_secret";
const AUTH = `Basic ${btoa(`${SECRET}:`)}`;
const ID = "e9x5mvx3jkpkofzcg7umfael6";
const SESSION = JSON.stringify({ id: ID, resource: "session" });
const RUNS = { numRuns: 40 };

expectNoUnhandledRejections();

/** A fetch that records what would have been sent and answers a session, so inputs are tested without a network. */
function recorder() {
  const sent: { url: string; headers: Headers }[] = [];
  const fetch = async (request: Request) => {
    sent.push({ url: request.url, headers: request.headers });
    return new Response(SESSION, { headers: { "content-type": "application/json" } });
  };
  return { sent, fetch };
}

/** Settles `promise`, asserting that a failure is a KomojuError; returns the error or undefined. */
async function settle(promise: unknown): Promise<KomojuError | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(KomojuError);
    return error as KomojuError;
  }
}

/** Anything a JavaScript caller might pass, and values of the right type at the edges. */
const hostile = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    1,
    2 ** 31,
    2 ** 53,
    "",
    " ",
    "\r\n",
    null,
    undefined,
    () => 1,
    Symbol("x"),
  ),
);
const text = binaryString({ maxLength: 24 });
const headerName = fc.oneof(
  fc.constantFrom(
    "Authorization",
    "authorization",
    "AUTHORIZATION",
    "x-komoju-idempotency",
    "Content-Type",
    "content-length",
    "host",
    "transfer-encoding",
    "cookie",
    "proxy-authorization",
    "user-agent",
    "x-trace",
    "x a",
    "x:a",
    "",
  ),
  text,
);
const headerValue = fc.oneof(fc.constantFrom("ok", "a\r\nb", "日本", "\u0000", " padded "), text);
const headers = fc.oneof(fc.dictionary(headerName, fc.oneof(headerValue, hostile), { maxKeys: 3 }), hostile);

describe("the client over any caller input", () => {
  it("client options: created or refused with a KomojuError, never sending; requests only to baseUrl", async () => {
    const options = fc.record(
      {
        secretKey: fc.oneof(fc.constant(SECRET), text, hostile),
        baseUrl: fc.oneof(
          fc.constantFrom(
            "https://komoju.com",
            "http://127.0.0.1:1",
            "https://u:k@komoju.com",
            "http://evil.example",
            "https://[::1",
            "https://komoju.com/proxy/",
          ),
          text,
          hostile,
        ),
        apiVersion: fc.oneof(fc.constantFrom("2025-01-28", null), hostile),
        encoding: fc.oneof(fc.constantFrom("json", "form"), hostile),
        headers,
        maxRetries: fc.oneof(fc.integer({ min: -2, max: 12 }), hostile),
        timeoutMs: fc.oneof(fc.integer({ min: -1, max: 2 ** 32 }), hostile),
        retryDelay: fc.oneof(
          fc.record({ baseDelayMs: hostile, maxDelayMs: hostile, retryAfterCapMs: hostile }, { requiredKeys: [] }),
          hostile,
        ),
        maxResponseBytes: fc.oneof(fc.integer({ min: -1, max: 2 ** 40 }), hostile),
        hooks: fc.oneof(fc.constant({ onRequest: () => Promise.reject(new Error("hook")) }), hostile),
        logLevel: fc.oneof(fc.constantFrom("debug", "off"), hostile),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(options, async (input) => {
        const { sent, fetch } = recorder();
        let komoju: ReturnType<typeof createKomojuClient> | undefined;
        try {
          komoju = createKomojuClient({
            secretKey: SECRET,
            ...(input as Partial<KomojuClientOptions>),
            fetch,
            logLevel: "off",
            retryDelay: { baseDelayMs: 0, maxDelayMs: 0 },
          } as KomojuClientOptions);
        } catch (error) {
          expect(error).toBeInstanceOf(KomojuInvalidRequestError);
        }
        expect(sent).toEqual([]);
        if (!komoju) return;
        await settle(komoju.sessions.retrieve(ID));
        const base = typeof input.baseUrl === "string" ? input.baseUrl.replace(/\/+$/, "") : "https://komoju.com";
        for (const { url, headers } of sent) {
          expect(url.startsWith(`${base}/`)).toBe(true);
          expect(headers.get("authorization")).toBe(
            typeof input.secretKey === "string" ? `Basic ${btoa(`${input.secretKey}:`)}` : AUTH,
          );
        }
      }),
      RUNS,
    );
  });

  it("per-call options and headers: resolved, or refused with nothing sent; the key is never replaced", async () => {
    const call = fc.oneof(
      fc.record(
        {
          idempotencyKey: fc.oneof(text, hostile),
          signal: fc.oneof(fc.constant(new AbortController().signal), fc.constant(AbortSignal.abort()), hostile),
          timeoutMs: fc.oneof(fc.integer({ min: -1, max: 2 ** 32 }), hostile),
          maxRetries: fc.oneof(fc.integer({ min: -1, max: 12 }), hostile),
          headers,
        },
        { requiredKeys: [] },
      ),
      hostile,
    );
    await fc.assert(
      fc.asyncProperty(call, fc.boolean(), async (options, post) => {
        const { sent, fetch } = recorder();
        const komoju = createKomojuClient({ secretKey: SECRET, fetch });
        const error = await settle(
          post ? komoju.sessions.cancel(ID, options as never) : komoju.sessions.retrieve(ID, options as never),
        );
        if (error instanceof KomojuInvalidRequestError || error?.code === "aborted") expect(sent).toEqual([]);
        for (const { headers } of sent) expect(headers.get("authorization")).toBe(AUTH);
      }),
      RUNS,
    );
  });

  it("ids: helpers stay on their operation's path; the raw client stays on the origin", async () => {
    const id = fc.oneof(
      fc.constantFrom(
        ".",
        "..",
        "../..",
        "/",
        "?",
        "#",
        "%",
        "%2e%2e",
        "a/../..",
        "\ud800",
        "\udfff",
        "",
        " ",
        "x?y=1#z",
      ),
      text,
      hostile,
    );
    await fc.assert(
      fc.asyncProperty(id, async (value) => {
        const { sent, fetch } = recorder();
        const komoju = createKomojuClient({ secretKey: SECRET, baseUrl: "https://komoju.test/base", fetch });
        await settle(komoju.sessions.retrieve(value as string));
        await settle(komoju.sessions.cancel(value as string));
        await settle(komoju.sessions.pay(value as string, { payment_details: "tok_x" } as never));
        for (const { url } of sent)
          expect(new URL(url).pathname).toMatch(/^\/base\/api\/v1\/sessions\/[^/?#]+(\/cancel|\/pay)?$/);
        sent.length = 0;
        await settle(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: value as string } } }));
        for (const { url } of sent) expect(new URL(url).origin).toBe("https://komoju.test");
      }),
      RUNS,
    );
  });

  it("bodies in both encodings: sent, or refused with a KomojuError and nothing sent", async () => {
    const cyclic: Record<string, unknown> = { amount: 1 };
    cyclic.self = cyclic;
    const getter = Object.defineProperty({}, "amount", {
      enumerable: true,
      get: () => {
        throw new Error("getter");
      },
    });
    const body = fc.oneof(
      fc.constantFrom(
        cyclic,
        getter,
        { amount: 10n },
        { payment_types: [] },
        { metadata: { "": "x" } },
        { a: new Map([["k", 1]]) },
        { a: new Date(NaN) },
        { a: NaN },
        { line_items: [{ amount: 1 }] },
      ),
      fc.dictionary(text, hostile, { maxKeys: 4 }),
      hostile,
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom("json", "form") as fc.Arbitrary<"json" | "form">,
        async (value, encoding) => {
          const { sent, fetch } = recorder();
          const komoju = createKomojuClient({ secretKey: SECRET, fetch, encoding });
          const error = await settle(komoju.sessions.create(value as never));
          if (error) expect(sent).toEqual([]);
          await settle(komoju.POST("/api/v1/sessions", { body: value as never }));
        },
      ),
      RUNS,
    );
  });
});
