import { describe, expect, it } from "vitest";
import type { ResponseEvent } from "../../src/index.js";
import {
  DEFAULT_RETRY_POLICY,
  type Failure,
  isRetryable,
  parseRetryAfter,
  retryDelay,
  retryDelayMs,
} from "../../src/retry.js";
import { json, raw } from "../support/loopback.js";
import { ID, session, useLoopback } from "./harness.js";

const now = Date.parse("2026-11-28T00:00:00Z");
const policy = DEFAULT_RETRY_POLICY;
const status = (status: number, code?: string): Failure => ({ method: "POST", kind: "status", status, code });

describe("retry policy", () => {
  it("retries in-flight, throttled and server failures, never other client errors", () => {
    expect([409, 429, 500, 502, 503, 504].every((s) => isRetryable(status(s)))).toBe(true);
    expect([200, 301, 400, 401, 402, 403, 404, 422, 501, 505].some((s) => isRetryable(status(s)))).toBe(false);
  });

  it("a 502 is retried for a gateway failure or no code, never for the processor's answer", () => {
    for (const code of [undefined, "bad_gateway", "gateway_timeout", "internal_server_error", "service_unavailable"]) {
      expect(isRetryable(status(502, code)), String(code)).toBe(true);
    }
    for (const code of [
      "card_declined",
      "insufficient_funds",
      "card_expired",
      "bad_verification_value",
      "invalid_number",
      "exceeds_limit",
      "used_number",
      "restricted_account",
      "other_error",
      "something_new",
    ]) {
      expect(isRetryable(status(502, code)), code).toBe(false);
    }
  });

  it("retries connection failures, timeouts and cut-short bodies; never an invalid or caller-aborted answer", () => {
    for (const kind of ["connection", "timeout", "truncated"] as const) expect(isRetryable({ kind })).toBe(true);
    expect(isRetryable({ kind: "invalid" })).toBe(false);
  });

  it("stops after maxRetries, whatever the failure", () => {
    const failure: Failure = { method: "GET", kind: "connection" };
    expect([1, 2, 3].map((n) => retryDelay(failure, n, policy, () => 1, now))).toEqual([500, 1000, undefined]);
    expect(retryDelay(status(502, "card_declined"), 1, policy)).toBeUndefined();
    expect(retryDelay({ ...status(429), retryAfter: "2" }, 1, policy, Math.random, now)).toBe(2000);
  });

  it.each([
    ["delay-seconds", "3", 3000],
    ["zero", "0", 0],
    ["an IMF-fixdate", "Sat, 28 Nov 2026 00:00:07 GMT", 7000],
    ["a date in the past", "Fri, 27 Nov 2026 23:00:00 GMT", 0],
    ["garbage", "soon", undefined],
    ["nothing", null, undefined],
    // V8's Date.parse reads these as dates in 2001, which would make the wait 0.
    ["a negative number", "-5", undefined],
    ["a list", "5, 6", undefined],
    ["a word and a number", "foo 1", undefined],
    ["fractional seconds", "0.25", undefined],
    ["an obsolete date format", "Saturday, 28-Nov-26 00:00:07 GMT", undefined],
  ])("reads Retry-After as %s", (_what, header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it("an invalid Retry-After falls back to the backoff", () => {
    for (const header of ["-5", "5, 6", "foo 1"]) expect(retryDelayMs(2, header, policy, () => 1, now)).toBe(1000);
  });

  it("backs off exponentially with jitter between 75% and 100% of the step, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, null, policy, () => 1, now))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, null, policy, () => 0, now))).toEqual([375, 750, 1500]);
  });

  it("lets Retry-After win, capped", () => {
    expect(retryDelayMs(1, "2", policy, Math.random, now)).toBe(2000);
    expect(retryDelayMs(1, "3600", policy, Math.random, now)).toBe(60_000);
  });
});

describe("the retry policy through the client", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each(["-5", "5, 6", "foo 1"])("Retry-After: %s", async (retryAfter) => {
    loopback.server.answer = (_r, i) =>
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

  it("a 502 bad_gateway, a 502 without a code and an HTML 502 are retried", async () => {
    for (const answer of [
      json(502, { error: { code: "bad_gateway", message: "x" } }),
      json(502, {}),
      raw(502, { "content-type": "text/html" }, "<h1>502</h1>"),
    ]) {
      loopback.server.received.length = 0;
      loopback.server.answer = (_r, i) => (i === 0 ? answer : json(200, session));
      await expect(client().sessions.retrieve(ID)).resolves.toEqual(session);
      expect(loopback.server.received).toHaveLength(2);
    }
  });
});
