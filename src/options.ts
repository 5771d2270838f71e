// The client's options and a call's options: declared once here, checked and resolved
// once, then read by the transport as they are.
import { API_VERSION } from "../generated/constants.js";
import { type KomojuError, KomojuInvalidRequestError } from "./errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";

/** The KOMOJU API version this package's spec describes (the spec's `info.version`). */
export const DEFAULT_API_VERSION = API_VERSION;
/** This package's version, sent in the User-Agent; a test keeps it equal to package.json's. */
export const VERSION = "0.1.0";

export interface KomojuClientOptions {
  /** Your secret key (`sk_live_…` or `sk_test_…`), sent as the Basic auth user name. Never printed or logged. */
  secretKey: string;
  /** Default `https://komoju.com`. Plain `http://` is accepted only for loopback hosts (a local KOMOJU). */
  baseUrl?: string | undefined;
  /** Sent as `X-KOMOJU-API-VERSION`. Default: the version the spec describes. `null` sends none, so the key's dashboard setting applies. */
  apiVersion?: string | null | undefined;
  /** A fetch implementation. Default: the global `fetch`. */
  fetch?: ((input: Request) => Promise<Response>) | undefined;
  /** How request bodies go on the wire: JSON (default) or Rack-style form encoding. */
  encoding?: "json" | "form" | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Retries after the first attempt (at most 10), for network errors, timeouts, 409, 429, 500, 503, 504 and gateway 502s; never for a processor's decline. Default 2. */
  maxRetries?: number | undefined;
  /** Per-attempt timeout in milliseconds, covering the whole response body. Default 60 000. */
  timeoutMs?: number | undefined;
  /** Backoff tuning; the defaults suit KOMOJU. */
  retryDelay?: Partial<Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "retryAfterCapMs">> | undefined;
  /** Responses larger than this are refused instead of buffered. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
  /** Observe every attempt: method, URL, attempt number, status, idempotency key. */
  hooks?: KomojuHooks | undefined;
  /** `"debug"` prints one line per attempt (secrets redacted). Default: the `KOMOJU_LOG` environment variable, else `"off"`. */
  logLevel?: "debug" | "off" | undefined;
}

/** Per-call options of the resource methods. */
export interface RequestOptions {
  /** For POSTs: reuse this key instead of a generated one, e.g. to retry a call made earlier. */
  idempotencyKey?: string | undefined;
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's retry count for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call; the client's own (authorization, idempotency, content-type, …) are refused. */
  headers?: Record<string, string> | undefined;
}

/** What a hook sees of one attempt. Credentials in headers are redacted. */
export interface RequestEvent {
  method: string;
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  idempotencyKey: string | undefined;
  headers: Record<string, string>;
}

export interface ResponseEvent extends RequestEvent {
  /** The HTTP status, when a response arrived. */
  status: number | undefined;
  /** Why the attempt failed, when it did. */
  error: KomojuError | undefined;
  durationMs: number;
  /** Set when another attempt follows: how long the client waits first. */
  retryDelayMs: number | undefined;
}

export interface KomojuHooks {
  /** Called before every attempt. Exceptions thrown and promises rejected here are ignored. */
  onRequest?: ((event: RequestEvent) => unknown) | undefined;
  /** Called after every attempt, failed or not. Exceptions thrown and promises rejected here are ignored. */
  onResponse?: ((event: ResponseEvent) => unknown) | undefined;
}

/** How the transport calls fetch: with a URL and init, so no Request is built unless a fetch was injected. */
type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The client's options, checked, with every default filled in. */
export interface ResolvedOptions {
  authorization: string;
  /** Requests go here and nowhere else: the credentials are for this origin and path. No trailing slash. */
  baseUrl: string;
  /** baseUrl's origin, and its path with one trailing slash, which every request URL must lie under. */
  origin: string;
  basePath: string;
  /** baseUrl is on this machine (a local KOMOJU), where plain http:// is allowed. */
  loopback: boolean;
  userAgent: string;
  apiVersion: string | null;
  fetch: FetchLike;
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
  retry: RetryPolicy;
  headers: Record<string, string>;
  idempotencyKey: string | undefined;
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
// Printable ASCII without ':' (Basic auth's separator) and without spaces.
const KEY_SHAPE = /^[\x21-\x39\x3b-\x7e]+$/;
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
// RFC 9110: a field name is a token; a value is visible ASCII, spaces and tabs (no CR, LF or NUL).
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;
/**
 * The one list of headers only the client sets, refused wherever a caller's headers come
 * in (client options, call options, the raw client): credentials and identity, and what
 * the HTTP stack derives from the request itself.
 */
const CLIENT_HEADERS =
  /^(authorization|proxy-authorization|cookie|user-agent|content-length|transfer-encoding|host|connection|keep-alive|upgrade|expect|te|trailer)$/i;
/** Also refused in `headers` options, which set these otherwise: `idempotencyKey`, and `encoding` for the body's type. */
const OPTION_HEADERS = /^(x-komoju-idempotency|content-type)$/i;
/** Longest delay `setTimeout` keeps: beyond it, Node fires after 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** More retries than this only prolong an outage for the caller. */
const MAX_RETRIES = 10;

type OptionsCode = "invalid_client_options" | "invalid_request_options";

/** Every refusal reads "<option> must …", so a glance at the message finds the option to fix. */
function invalid(message: string, code: OptionsCode = "invalid_client_options"): never {
  throw new KomojuInvalidRequestError(message, code);
}

function integer(
  value: number | undefined,
  name: string,
  fallback: number,
  min: number,
  max = MAX_DELAY_MS,
  code?: OptionsCode,
): number {
  if (value != null && !(Number.isInteger(value) && value >= min && value <= max))
    invalid(`${name} must be an integer from ${min} to ${max}.`, code);
  return value ?? fallback;
}

/** The entries of a caller's headers: a plain object, a `Headers` or `[name, value]` pairs. */
function headerEntries(headers: object, name: string, code?: OptionsCode): unknown[] {
  try {
    return headers instanceof Headers || Array.isArray(headers)
      ? [...(headers as Iterable<unknown>)]
      : Object.entries(headers);
  } catch {
    return invalid(`${name} must be an object of header names and values.`, code);
  }
}

/**
 * Extra headers, checked and with names in lower case. Values are never quoted back:
 * one may hold a token. The raw client's (`raw`) may set the idempotency key and
 * content type, and skip null values as openapi-fetch does.
 */
export function checkHeaders(
  headers: unknown,
  name: string,
  code?: OptionsCode,
  raw?: boolean,
): Record<string, string> {
  const checked: Record<string, string> = {};
  if (headers == null) return checked;
  if (typeof headers !== "object") invalid(`${name} must be an object of header names and values.`, code);
  for (const entry of headerEntries(headers, name, code)) {
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
export function resolveCall(call: RequestOptions | null | undefined, client: ResolvedOptions): ResolvedCall {
  const code = "invalid_request_options";
  const defaults = {
    signal: undefined,
    headers: {},
    idempotencyKey: undefined,
    timeoutMs: client.timeoutMs,
    retry: client.retry,
  };
  if (call == null) return defaults;
  if (typeof call !== "object") invalid("options must be an object.", code);
  const { signal, idempotencyKey, maxRetries } = call;
  // Duck-typed, so a signal from another realm or a polyfill works too.
  if (signal != null && (typeof signal.addEventListener !== "function" || typeof signal.aborted !== "boolean"))
    invalid("options.signal must be an AbortSignal.", code);
  if (idempotencyKey != null && typeof idempotencyKey !== "string")
    invalid("options.idempotencyKey must be a string.", code);
  return {
    signal: signal ?? undefined,
    timeoutMs: integer(call.timeoutMs, "options.timeoutMs", client.timeoutMs, 1, MAX_DELAY_MS, code),
    retry:
      maxRetries == null
        ? client.retry
        : { ...client.retry, maxRetries: integer(maxRetries, "options.maxRetries", 0, 0, MAX_RETRIES, code) },
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

/** The runtime and its version for the User-Agent, e.g. `node/20.20.2`. */
function runtime(): string {
  const g = globalThis as { process?: { versions?: Record<string, string> }; navigator?: { userAgent?: string } };
  const v = g.process?.versions;
  // Bun and Deno report a Node version too, so their own come first; workerd has only navigator.
  return v?.bun
    ? `bun/${v.bun}`
    : v?.deno
      ? `deno/${v.deno}`
      : v?.node
        ? `node/${v.node}`
        : (g.navigator?.userAgent ?? "unknown");
}

function normalizeBaseUrl(value: string): URL {
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
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

function retryPolicy(options: KomojuClientOptions): RetryPolicy {
  const { retryDelay } = options;
  return {
    maxRetries: integer(options.maxRetries, "maxRetries", DEFAULT_RETRY_POLICY.maxRetries, 0, MAX_RETRIES),
    baseDelayMs: integer(retryDelay?.baseDelayMs, "retryDelay.baseDelayMs", DEFAULT_RETRY_POLICY.baseDelayMs, 0),
    maxDelayMs: integer(retryDelay?.maxDelayMs, "retryDelay.maxDelayMs", DEFAULT_RETRY_POLICY.maxDelayMs, 0),
    retryAfterCapMs: integer(
      retryDelay?.retryAfterCapMs,
      "retryDelay.retryAfterCapMs",
      DEFAULT_RETRY_POLICY.retryAfterCapMs,
      0,
    ),
  };
}

/** The fetch the transport calls. Without an injected one, the global fetch gets the URL and init directly: building a Request first costs time for nothing. */
function fetchOf(injected: unknown): FetchLike {
  if (injected == null) return (url, init) => globalThis.fetch(url, init);
  if (typeof injected !== "function") invalid("fetch must be a function.");
  return (url, init) => injected(new Request(url, init));
}

export function resolveOptions(options: KomojuClientOptions): ResolvedOptions {
  const secretKey = options?.secretKey;
  if (typeof secretKey !== "string" || secretKey === "")
    invalid("secretKey is required: your KOMOJU secret key (sk_…).");
  if (!KEY_SHAPE.test(secretKey))
    invalid("secretKey has whitespace, ':' or non-ASCII; check for a stray newline or quote.");

  const { apiVersion = DEFAULT_API_VERSION, encoding = "json" } = options;
  if (apiVersion !== null && !(typeof apiVersion === "string" && API_VERSION_SHAPE.test(apiVersion)))
    invalid(`apiVersion must be a date like ${DEFAULT_API_VERSION}, or null.`);
  if (encoding !== "json" && encoding !== "form") invalid('encoding must be "json" or "form".');
  const logLevel = options.logLevel ?? (envLogLevel() === "debug" ? "debug" : "off");
  if (logLevel !== "debug" && logLevel !== "off") invalid('logLevel must be "debug" or "off".');

  const base = normalizeBaseUrl(options.baseUrl ?? "https://komoju.com");
  return {
    authorization: `Basic ${btoa(`${secretKey}:`)}`,
    baseUrl: base.origin + base.pathname.replace(/\/$/, ""),
    origin: base.origin,
    basePath: `${base.pathname.replace(/\/$/, "")}/`,
    loopback: LOOPBACK_HOSTS.test(base.hostname),
    userAgent: `komoju-ts/${VERSION} (${runtime()})`,
    apiVersion,
    fetch: fetchOf(options.fetch),
    encoding,
    headers: checkHeaders(options.headers, "headers"),
    retry: retryPolicy(options),
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
