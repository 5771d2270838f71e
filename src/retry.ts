export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff; doubles each retry. */
  baseDelayMs: number;
  /** Longest backoff. */
  maxDelayMs: number;
  /** Longest wait a `Retry-After` header may ask for. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  retryAfterCapMs: 60_000,
};

/**
 * How an attempt failed: an error status, no response at all, no complete response in
 * time, a body cut short, or a body that is not what was expected (never worth repeating).
 */
export type FailureKind = "status" | "connection" | "timeout" | "truncated" | "invalid";

/** One failed attempt, as the retry policy sees it. */
export interface Failure {
  method: string;
  kind: FailureKind;
  status?: number | undefined;
  /** KOMOJU's `error.code`, when the body carried one. */
  code?: string | undefined;
  /** The response's `Retry-After` header. */
  retryAfter?: string | null | undefined;
}

/** Statuses worth retrying: in flight (409), throttled (429), and server or gateway failures. */
const RETRYABLE_STATUSES = /* @__PURE__ */ new Set([409, 429, 500, 502, 503, 504]);
/**
 * On a 502 KOMOJU names either a gateway failure (these) or the processor's answer
 * (`card_declined`, `insufficient_funds`, …), which is final: asking again with the
 * same key gets the same answer, and with a new key would charge again.
 */
const GATEWAY_CODES = /* @__PURE__ */ new Set([
  "bad_gateway",
  "gateway_timeout",
  "internal_server_error",
  "service_unavailable",
]);

/** Whether a failure may be tried again at all, whatever the attempt. */
export function isRetryable({ kind, status, code }: Pick<Failure, "kind" | "status" | "code">): boolean {
  if (kind !== "status") return kind !== "invalid";
  if (!RETRYABLE_STATUSES.has(status!)) return false;
  return status !== 502 || code === undefined || GATEWAY_CODES.has(code);
}

/**
 * The retry policy: how long to wait before the next attempt after `failure` on attempt
 * number `attempt` (1-based), or undefined when there is none. Every method is retried:
 * POSTs carry an idempotency key, so KOMOJU runs each at most once.
 */
export function retryDelay(
  failure: Failure,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now = Date.now(),
): number | undefined {
  if (attempt > policy.maxRetries || !isRetryable(failure)) return undefined;
  return retryDelayMs(attempt, failure.retryAfter ?? null, policy, random, now);
}

// RFC 9110 §10.2.3: delay-seconds is 1*DIGIT; an HTTP-date's preferred form is IMF-fixdate.
const DELAY_SECONDS = /^\d+$/;
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/;

/** `Retry-After` as milliseconds from `now`: delay-seconds or an IMF-fixdate; undefined for anything else. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  const text = value?.trim() ?? "";
  if (DELAY_SECONDS.test(text)) return Number(text) * 1000;
  const date = IMF_FIXDATE.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (1-based). A server's `Retry-After`
 * wins, up to the cap; otherwise exponential backoff with jitter that keeps between
 * 75% and 100% of the step, so retries of many clients spread out without ever
 * collapsing to zero.
 */
export function retryDelayMs(
  retry: number,
  retryAfter: string | null,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, policy.retryAfterCapMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return step * (0.75 + 0.25 * random());
}
