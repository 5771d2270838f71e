import { KomojuInvalidRequestError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import type { KomojuHooks, RequestOptions } from "./transport.js";

/** The KOMOJU API version this package's spec describes (the spec's `info.version`). */
export const DEFAULT_API_VERSION = "2025-01-28";
/** This package's version, sent in the User-Agent; a test keeps it equal to package.json's. */
export const VERSION = "0.1.0";

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
  /** Retries after the first attempt (at most 10), for network errors, timeouts, 409, 429, 500, 503, 504 and gateway 502s; never for a processor's decline. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds, covering the whole response body. Default 60 000. */
  timeoutMs?: number;
  /** Backoff tuning; the defaults suit KOMOJU. */
  retryDelay?: Partial<Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "retryAfterCapMs">>;
  /** Responses larger than this are refused instead of buffered. Default 16 MiB. */
  maxResponseBytes?: number;
  /** Observe every attempt: method, URL, attempt number, status, idempotency key. */
  hooks?: KomojuHooks;
  /** `"debug"` prints one line per attempt (secrets redacted). Default: the `KOMOJU_LOG` environment variable, else `"off"`. */
  logLevel?: "debug" | "off";
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
  logLevel: "debug" | "off";
}

/** A call's options, checked, with the client's defaults filled in. */
export interface ResolvedCall {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  headers: Record<string, string>;
  idempotencyKey: string | undefined;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
// Printable ASCII without ':' (Basic auth's separator) and without spaces.
const KEY_SHAPE = /^[\x21-\x39\x3b-\x7e]+$/;
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
// RFC 9110: a field name (and a method) is a token; a value is visible ASCII, spaces and tabs (no CR, LF or NUL).
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/**
 * The one list of headers only the client sets, refused wherever a caller's headers come
 * in (client options, call options, the raw client): credentials and identity, and what
 * the HTTP stack derives from the request itself.
 */
export const CLIENT_HEADERS =
  /^(authorization|proxy-authorization|cookie|user-agent|content-length|transfer-encoding|host|connection|keep-alive|upgrade|expect|te|trailer)$/i;
/** Also refused in `headers` options, which set these otherwise: `idempotencyKey`, and `encoding` for the body's type. */
const OPTION_HEADERS = /^(x-komoju-idempotency|content-type)$/i;
/** Longest delay `setTimeout` keeps: beyond it, Node fires after 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** More retries than this only prolong an outage for the caller. */
const MAX_RETRIES = 10;

/** Every refusal reads "<option> must …", so a glance at the message finds the option to fix. */
function invalid(message: string, code = "invalid_client_options"): never {
  throw new KomojuInvalidRequestError(message, code);
}

function integer(
  value: number | undefined,
  name: string,
  fallback: number,
  min: number,
  max = MAX_DELAY_MS,
  code?: string,
): number {
  if (value != null && !(Number.isInteger(value) && value >= min && value <= max))
    invalid(`${name} must be an integer from ${min} to ${max}.`, code);
  return value ?? fallback;
}

/**
 * Extra headers (a plain object, a `Headers` or `[name, value]` pairs), checked and with
 * names in lower case. Values are never quoted back: one may hold a token. The raw
 * client's (`raw`) may set the idempotency key and content type, and skip null values
 * as openapi-fetch does.
 */
export function checkHeaders(headers: unknown, name: string, code?: string, raw?: boolean): Record<string, string> {
  const checked: Record<string, string> = {};
  if (headers == null) return checked;
  if (typeof headers !== "object") invalid(`${name} must be an object of header names and values.`, code);
  let entries: unknown[];
  try {
    entries =
      headers instanceof Headers || Array.isArray(headers)
        ? [...(headers as Iterable<unknown>)]
        : Object.entries(headers);
  } catch {
    invalid(`${name} must be an object of header names and values.`, code);
  }
  for (const entry of entries) {
    const [key, value] = Array.isArray(entry) ? entry : [];
    if (raw && value == null) continue;
    if (typeof key !== "string" || !HTTP_TOKEN.test(key))
      invalid(`${name} must have valid header names (RFC 9110 tokens).`, code);
    if (CLIENT_HEADERS.test(key) || (!raw && OPTION_HEADERS.test(key)))
      invalid(
        `${name} must not set ${key}: the client does${/idempotency/i.test(key) ? " (pass idempotencyKey)" : ""}.`,
        code,
      );
    if (typeof value !== "string" || !HEADER_VALUE.test(value))
      invalid(`${name}.${key} must be a string of printable ASCII.`, code);
    checked[key.toLowerCase()] = value;
  }
  return checked;
}

/** A call's `options` argument: refused with a typed error unless every field is usable. */
export function resolveCall(
  call: RequestOptions | null | undefined,
  defaults: { timeoutMs: number; maxRetries: number },
): ResolvedCall {
  const code = "invalid_request_options";
  if (call == null) return { signal: undefined, headers: {}, idempotencyKey: undefined, ...defaults };
  if (typeof call !== "object") invalid("options must be an object.", code);
  const { signal, idempotencyKey } = call;
  // Duck-typed, so a signal from another realm or a polyfill works too.
  if (signal != null && (typeof signal.addEventListener !== "function" || typeof signal.aborted !== "boolean"))
    invalid("options.signal must be an AbortSignal.", code);
  if (idempotencyKey != null && typeof idempotencyKey !== "string")
    invalid("options.idempotencyKey must be a string.", code);
  return {
    signal: signal ?? undefined,
    timeoutMs: integer(call.timeoutMs, "options.timeoutMs", defaults.timeoutMs, 1, MAX_DELAY_MS, code),
    maxRetries: integer(call.maxRetries, "options.maxRetries", defaults.maxRetries, 0, MAX_RETRIES, code),
    headers: checkHeaders(call.headers, "options.headers", code),
    idempotencyKey: idempotencyKey ?? undefined,
  };
}

/** `KOMOJU_LOG` where the runtime has environment variables and lets us read them. */
function envLogLevel(): string | undefined {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.KOMOJU_LOG;
  } catch {
    // Deno without --allow-env throws on access.
    return undefined;
  }
}

function normalizeBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never quoted: a key passed here by mistake, or `user:key@host`, must not reach the message.
    invalid("baseUrl must be an absolute URL such as https://komoju.com.");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.test(url.hostname))) {
    invalid(`baseUrl must use https:// (http:// only for loopback hosts), not ${url.protocol}//${url.hostname}.`);
  }
  if (url.username || url.password || url.search || url.hash)
    invalid("baseUrl must not hold credentials, a query string or a fragment.");
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function resolveOptions(options: KomojuClientOptions): ResolvedOptions {
  const secretKey = options?.secretKey;
  if (typeof secretKey !== "string" || secretKey === "")
    invalid("secretKey is required: your KOMOJU secret key (sk_…).");
  if (!KEY_SHAPE.test(secretKey))
    invalid("secretKey has whitespace, ':' or non-ASCII; check for a stray newline or quote.");

  const {
    apiVersion = DEFAULT_API_VERSION,
    encoding = "json",
    fetch = globalThis.fetch,
    headers,
    retryDelay,
  } = options;
  if (apiVersion !== null && !(typeof apiVersion === "string" && API_VERSION_SHAPE.test(apiVersion)))
    invalid("apiVersion must be a date like 2025-01-28, or null.");
  if (encoding !== "json" && encoding !== "form") invalid('encoding must be "json" or "form".');
  if (typeof fetch !== "function") invalid("fetch must be a function.");

  const extraHeaders = checkHeaders(headers, "headers");
  const logLevel = options.logLevel ?? (envLogLevel() === "debug" ? "debug" : "off");
  if (logLevel !== "debug" && logLevel !== "off") invalid('logLevel must be "debug" or "off".');

  const retry = {
    maxRetries: integer(options.maxRetries, "maxRetries", DEFAULT_RETRY_POLICY.maxRetries, 0, MAX_RETRIES),
  } as RetryPolicy;
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
    maxResponseBytes: integer(
      options.maxResponseBytes,
      "maxResponseBytes",
      16 * 1024 * 1024,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    hooks: options.hooks ?? {},
    logLevel,
  };
}
