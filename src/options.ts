import { KomojuInvalidRequestError } from "./errors.js";

export const DEFAULT_BASE_URL = "https://komoju.com";
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
}

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
// Printable ASCII without ':' (Basic auth's separator) and without spaces.
const KEY_SHAPE = /^[\x21-\x39\x3b-\x7e]+$/;
const API_VERSION_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
// Headers this package owns; letting `headers` override them would defeat auth or idempotency.
const RESERVED_HEADERS = new Set(["authorization", "x-komoju-idempotency", "content-type", "content-length", "host"]);

function invalid(message: string): KomojuInvalidRequestError {
  return new KomojuInvalidRequestError(message, "invalid_client_options");
}

export function normalizeBaseUrl(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") throw invalid("baseUrl must be a non-empty URL string.");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`baseUrl is not a valid URL: ${JSON.stringify(value.slice(0, 200))}.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(`baseUrl must use https:// (got ${url.protocol}//).`);
  }
  if (url.protocol === "http:" && !LOOPBACK_HOSTS.test(url.hostname)) {
    throw invalid(`baseUrl must use https://; plain http:// is allowed only for loopback hosts (got host ${url.hostname}).`);
  }
  if (url.username || url.password) throw invalid("baseUrl must not contain credentials; pass secretKey instead.");
  if (url.search || url.hash) throw invalid("baseUrl must not contain a query string or fragment.");
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function basicAuthorization(secretKey: string): string {
  return `Basic ${btoa(`${secretKey}:`)}`;
}

export function resolveOptions(options: KomojuClientOptions): ResolvedOptions {
  if (!options || typeof options !== "object") throw invalid("createKomojuClient needs an options object with a secretKey.");
  const { secretKey } = options;
  if (typeof secretKey !== "string" || secretKey === "") throw invalid("secretKey is required: your KOMOJU secret key (sk_…).");
  if (!KEY_SHAPE.test(secretKey)) {
    throw invalid("secretKey has characters no KOMOJU key has (whitespace, ':' or non-ASCII); check for a stray newline or quote.");
  }

  const apiVersion = options.apiVersion === undefined ? DEFAULT_API_VERSION : options.apiVersion;
  if (apiVersion !== null && (typeof apiVersion !== "string" || !API_VERSION_SHAPE.test(apiVersion))) {
    throw invalid("apiVersion must be a date like 2025-01-28, or null to send none.");
  }

  const encoding = options.encoding ?? "json";
  if (encoding !== "json" && encoding !== "form") throw invalid('encoding must be "json" or "form".');

  if (options.fetch !== undefined && typeof options.fetch !== "function") throw invalid("fetch must be a function.");
  if (options.fetch === undefined && typeof globalThis.fetch !== "function") throw invalid("No fetch available: pass options.fetch.");

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw invalid(`headers may not set ${name}; the client manages it.`);
    if (typeof value !== "string") throw invalid(`headers.${name} must be a string.`);
    headers[name.toLowerCase()] = value;
  }

  return {
    authorization: basicAuthorization(secretKey),
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    apiVersion,
    fetch: options.fetch,
    encoding,
    headers,
  };
}
