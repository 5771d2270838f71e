import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKomojuClient, KomojuError } from "../../src/index.js";
import { binaryString } from "../support/binary-string.js";
import { raw, startLoopback } from "../support/loopback.js";
import { expectNoUnhandledRejections } from "../support/unhandled-rejections.js";

// Properties over every answer a server can give: the call resolves to a JSON object or
// rejects with a KomojuError, requests stay on the operation's path with the key, memory
// stays under the cap, and no promise is left to reject unhandled.

const SECRET = "sk_test_adversarial_secret";
const AUTH = `Basic ${btoa(`${SECRET}:`)}`;
const ID = "e9x5mvx3jkpkofzcg7umfael6";
const SESSION = JSON.stringify({ id: ID, resource: "session" });
const text = binaryString({ maxLength: 24 });

expectNoUnhandledRejections();

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

describe("the transport over any server answer", () => {
  let server: Awaited<ReturnType<typeof startLoopback>>;
  beforeAll(async () => {
    server = await startLoopback();
  });
  afterAll(() => server.close());

  const CAP = 64 * 1024;
  const encodings = {
    identity: (b: Buffer) => b,
    gzip: (b: Buffer) => gzipSync(b, { level: 1 }),
    deflate: (b: Buffer) => deflateSync(b, { level: 1 }),
    br: (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
    bogus: (b: Buffer) => b,
  };
  // Compressing the same megabyte again in every run would cost more than the runs.
  const encoded = new Map<string, Buffer>();
  const encode = (payload: string, encoding: keyof typeof encodings) => {
    const key = `${encoding}:${payload}`;
    if (!encoded.has(key)) encoded.set(key, encodings[encoding](Buffer.from(payload)));
    return encoded.get(key)!;
  };
  const payload = fc.oneof(
    fc.constantFrom(
      SESSION,
      "",
      "null",
      "[]",
      "5",
      '"s"',
      "{",
      "<html>502</html>",
      '{"error":{"code":"card_declined","message":{"x":1}}}',
      '{"error":{"code":"bad_gateway"}}',
      "[".repeat(50_000),
    ),
    fc.json(),
    binaryString({ maxLength: 64 }),
    fc.constant("x".repeat(2 * CAP)),
    fc.constant(" ".repeat(1024 * 1024)),
  );
  const response = fc.record({
    status: fc.oneof(
      fc.constantFrom(200, 201, 204, 205, 301, 304, 400, 402, 404, 409, 422, 429, 500, 502, 503, 504),
      fc.integer({ min: 200, max: 999 }),
    ),
    payload,
    encoding: fc.constantFrom(...(Object.keys(encodings) as (keyof typeof encodings)[])),
    retryAfter: fc.option(
      fc.oneof(fc.constantFrom("0", "-5", "5, 6", "foo 1", "Sat, 28 Nov 2026 00:00:07 GMT", "99999999999"), text),
      { nil: undefined },
    ),
    lengthDelta: fc.constantFrom(0, 0, 0, -1, 5),
    contentType: fc.constantFrom("application/json", "text/html", "application/problem+json", "text/csv"),
  });

  it("every answer resolves to a JSON object or rejects with a KomojuError, within the memory cap", async () => {
    const komoju = createKomojuClient({
      secretKey: SECRET,
      baseUrl: server.url,
      maxResponseBytes: CAP,
      timeoutMs: 300,
      maxRetries: 1,
      retryDelay: { baseDelayMs: 0, maxDelayMs: 0, retryAfterCapMs: 0 },
    });
    const before = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(response, async ({ status, payload, encoding, retryAfter, lengthDelta, contentType }) => {
        const body = encode(payload, encoding);
        const headers: Record<string, string> = {
          "content-type": contentType,
          "content-length": String(Math.max(0, body.length + lengthDelta)),
        };
        if (encoding !== "identity") headers["content-encoding"] = encoding;
        if (retryAfter !== undefined && /^[\t\x20-\x7e]*$/.test(retryAfter)) headers["retry-after"] = retryAfter;
        server.received.length = 0;
        server.answer = () => raw(status, headers, body);
        let data: unknown;
        try {
          data = await komoju.sessions.retrieve(ID);
          expect(data !== null && typeof data === "object" && !Array.isArray(data)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(KomojuError);
        }
        const rawResult = await settle(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } }));
        expect(rawResult === undefined || rawResult instanceof KomojuError).toBe(true);
        for (const request of server.received) {
          expect(request.path).toBe(`/api/v1/sessions/${ID}`);
          expect(request.headers.authorization).toBe(AUTH);
        }
      }),
      { numRuns: 40 },
    );
    // 1 MiB bodies and compression bombs came by; the client buffered at most CAP of any.
    expect(process.memoryUsage().rss - before).toBeLessThan(96 * 1024 * 1024);
  });
});
