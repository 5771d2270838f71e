/** Statuses worth retrying: in flight (409), throttled (429), and server or gateway failures. */
const RETRYABLE_STATUSES = new Set([409, 429, 500, 502, 503, 504]);

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

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value?.trim()) return undefined;
  const seconds = Number(value);
  const ms = seconds >= 0 ? seconds * 1000 : Date.parse(value) - now;
  return Number.isNaN(ms) ? undefined : Math.max(0, Math.round(ms));
}

/**
 * How long to wait before retry number `retry` (1-based). A server's `Retry-After`
 * wins, up to the cap; otherwise exponential backoff with jitter that keeps between
 * 75% and 100% of the step, so retries of many clients spread out without ever
 * collapsing to zero.
 */
export function retryDelayMs(retry: number, retryAfter: string | null, policy: RetryPolicy, random: () => number = Math.random, now = Date.now()): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, policy.retryAfterCapMs);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return step * (0.75 + 0.25 * random());
}
