import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs } from "../../src/retry.js";

const now = Date.parse("2026-11-28T00:00:00Z");

describe("retry policy", () => {
  it("retries in-flight, throttled and server failures, never other client errors", () => {
    expect([409, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 422, 501].some(isRetryableStatus)).toBe(false);
  });

  it.each([
    ["delta seconds", "3", 3000],
    ["fractional seconds", "0.25", 250],
    ["an HTTP date", "Sat, 28 Nov 2026 00:00:07 GMT", 7000],
    ["a date in the past", "Fri, 27 Nov 2026 23:00:00 GMT", 0],
    ["garbage", "soon", undefined],
    ["nothing", null, undefined],
  ])("reads Retry-After as %s", (_what, header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it("backs off exponentially with jitter between 75% and 100% of the step, up to the cap", () => {
    const policy = DEFAULT_RETRY_POLICY;
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, null, policy, () => 1, now))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([1, 2, 3].map((n) => retryDelayMs(n, null, policy, () => 0, now))).toEqual([375, 750, 1500]);
  });

  it("lets Retry-After win, capped", () => {
    expect(retryDelayMs(1, "2", DEFAULT_RETRY_POLICY, Math.random, now)).toBe(2000);
    expect(retryDelayMs(1, "3600", DEFAULT_RETRY_POLICY, Math.random, now)).toBe(60_000);
  });
});
