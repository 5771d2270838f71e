import { KomojuInvalidRequestError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import type { KomojuHooks } from "./transport.js";

/** The KOMOJU API version this package's spec describes (the spec's `info.version`). */
export const DEFAULT_API_VERSION = "2025-01-28";

export interface KomojuClientOptions {
  /** Your secret key (`sk_live_…` or `sk_test_…`), sent as the Basic auth user name. Never printed or logged. */
  secretKey: string;
  /** Default `https://komoju.com`. Plain `http://` is accepted only for loopback hosts (a local mock). */
  baseUrl?: string;
  /** Sent as `X-KOMOJU-API-VERSION`. Default: the version the spec describes. `null` sends none, so the key's dashboard setting applies. */
  apiVersion?: string | null;
  /** A fetch implementation. Default: the global `fetch`. */
  fetch?: (input: Request) => Promise<Response>;
  /** How request bodies go on the wire: JSON (default) or Rack-style form encoding. */
  encoding?: "json" | "form";
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Retries after the first attempt, for network errors, timeouts, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds, covering the whole response body. Default 60 000. */
  timeoutMs?: number;
  /** Backoff tuning; the defaults suit KOMOJU. */
  retryDelay?: Partial<Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "retryAfterCapMs">>;
  /** Responses larger than this are refused instead of buffered. Default 16 MiB. */
  maxResponseBytes?: number;
  /** Observe every attempt: method, URL, attempt number, status, idempotency key. */
  hooks?: KomojuHooks;
}

export interface ResolvedOptions {
  authorization: string;
  baseUrl: string;
  apiVersion: string | null;
  /** The injected fetch, if any. */
  fetch: ((input: Request) => Promise<Response>) | undefined;
  encoding: "json" | "form";
  /** Extra headers, names in lower case. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  hooks: KomojuHooks;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
// Printable ASCII without ':' (Basic auth's separator) and without spaces.
const KEY_SHAPE = /^[\x21-\x39\x3b-\x7e]+$/;
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
// Headers this package owns; letting `headers` override them would defeat auth or idempotency.
const RESERVED_HEADERS = /^(authorization|x-komoju-idempotency|content-type|content-length|host)$/i;

/** Every refusal reads "<option> must …", so a glance at the message finds the option to fix. */
function invalid(message: string): never {
  throw new KomojuInvalidRequestError(message, "invalid_client_options");
}

function integer(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) invalid(`${name} must be an integer ≥ ${min}.`);
  return value ?? fallback;
}

function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(`baseUrl must be a URL, not ${JSON.stringify(String(value).slice(0, 200))}.`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.test(url.hostname))) {
    invalid(`baseUrl must use https:// (http:// only for loopback hosts), not ${url.protocol}//${url.hostname}.`);
  }
  if (url.username || url.password || url.search || url.hash) invalid("baseUrl must not hold credentials, a query string or a fragment.");
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function resolveOptions(options: KomojuClientOptions): ResolvedOptions {
  const secretKey = options?.secretKey;
  if (typeof secretKey !== "string" || secretKey === "") invalid("secretKey is required: your KOMOJU secret key (sk_…).");
  if (!KEY_SHAPE.test(secretKey)) invalid("secretKey has whitespace, ':' or non-ASCII; check for a stray newline or quote.");

  const { apiVersion = DEFAULT_API_VERSION, encoding = "json", fetch = globalThis.fetch, headers, retryDelay } = options;
  if (apiVersion !== null && !API_VERSION_SHAPE.test(apiVersion)) invalid("apiVersion must be a date like 2025-01-28, or null.");
  if (encoding !== "json" && encoding !== "form") invalid('encoding must be "json" or "form".');
  if (typeof fetch !== "function") invalid("fetch must be a function.");

  const extraHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (RESERVED_HEADERS.test(name)) invalid(`headers must not set ${name}: the client does.`);
    if (typeof value !== "string") invalid(`headers.${name} must be a string.`);
    extraHeaders[name.toLowerCase()] = value;
  }

  const retry = { maxRetries: integer(options.maxRetries, "maxRetries", DEFAULT_RETRY_POLICY.maxRetries, 0) } as RetryPolicy;
  for (const name of ["baseDelayMs", "maxDelayMs", "retryAfterCapMs"] as const) {
    retry[name] = integer(retryDelay?.[name], `retryDelay.${name}`, DEFAULT_RETRY_POLICY[name], 0);
  }

  return {
    authorization: `Basic ${btoa(`${secretKey}:`)}`,
    baseUrl: normalizeBaseUrl(options.baseUrl ?? "https://komoju.com"),
    apiVersion,
    fetch: options.fetch,
    encoding,
    headers: extraHeaders,
    retry,
    timeoutMs: integer(options.timeoutMs, "timeoutMs", 60_000, 1),
    maxResponseBytes: integer(options.maxResponseBytes, "maxResponseBytes", 16 * 1024 * 1024, 1),
    hooks: options.hooks ?? {},
  };
}
