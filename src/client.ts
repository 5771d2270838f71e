import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/komoju-api.js";
import { randomUUID } from "./crypto.js";
import { apiErrorFrom, KomojuInvalidRequestError } from "./errors.js";
import { FORM_CONTENT_TYPE, toRackForm } from "./form.js";
import { type KomojuClientOptions as BaseOptions, resolveOptions } from "./options.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import { createTransport, type FetchLike, fetchFor, IDEMPOTENCY_HEADER, type KomojuHooks, type RequestOptions } from "./transport.js";
import type { Session, SessionCreateRequest, SessionPayRequest, SessionPayResponse } from "./types.js";

export interface KomojuClientOptions extends BaseOptions {
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

export interface SessionsResource {
  /** POST /api/v1/sessions */
  create(body: SessionCreateRequest, options?: RequestOptions): Promise<Session>;
  /** GET /api/v1/sessions/{id} */
  retrieve(id: string, options?: RequestOptions): Promise<Session>;
  /** POST /api/v1/sessions/{id}/cancel */
  cancel(id: string, options?: RequestOptions): Promise<Session>;
  /** POST /api/v1/sessions/{id}/pay */
  pay(id: string, body: SessionPayRequest, options?: RequestOptions): Promise<SessionPayResponse>;
}

/** The typed openapi-fetch client over the spec's paths, plus resource helpers that return data or throw. */
export type KomojuClient = Client<paths> & { sessions: SessionsResource };

function integerOption(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new KomojuInvalidRequestError(`${name} must be an integer of at least ${min}.`, "invalid_client_options");
  }
  return value;
}

function sessionPath(id: unknown, suffix = ""): string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new KomojuInvalidRequestError("A session id is required (a non-empty string such as the `id` Create returned).", "invalid_session_id");
  }
  return `/api/v1/sessions/${encodeURIComponent(id)}${suffix}`;
}

function checkBody(body: unknown, what: string): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new KomojuInvalidRequestError(`${what} must be an object.`, "invalid_body");
  }
}

export function createKomojuClient(options: KomojuClientOptions): KomojuClient {
  const resolved = resolveOptions(options);
  const retry: RetryPolicy = {
    maxRetries: integerOption(options.maxRetries, "maxRetries", DEFAULT_RETRY_POLICY.maxRetries, 0),
    baseDelayMs: integerOption(options.retryDelay?.baseDelayMs, "retryDelay.baseDelayMs", DEFAULT_RETRY_POLICY.baseDelayMs, 0),
    maxDelayMs: integerOption(options.retryDelay?.maxDelayMs, "retryDelay.maxDelayMs", DEFAULT_RETRY_POLICY.maxDelayMs, 0),
    retryAfterCapMs: integerOption(options.retryDelay?.retryAfterCapMs, "retryDelay.retryAfterCapMs", DEFAULT_RETRY_POLICY.retryAfterCapMs, 0),
  };
  const userFetch = resolved.fetch;
  // Without an injected fetch, the global one gets the URL and init directly: building
  // a Request first would cost time on every call for nothing.
  const fetchLike: FetchLike = userFetch ? (url, init) => userFetch(new Request(url, init)) : (url, init) => globalThis.fetch(url, init);
  const send = createTransport({
    authorization: resolved.authorization,
    apiVersion: resolved.apiVersion,
    fetch: fetchLike,
    retry,
    timeoutMs: integerOption(options.timeoutMs, "timeoutMs", 60_000, 1),
    maxResponseBytes: integerOption(options.maxResponseBytes, "maxResponseBytes", 16 * 1024 * 1024, 1),
    hooks: options.hooks ?? {},
  });

  const form = resolved.encoding === "form";
  const client = createClient<paths>({
    baseUrl: resolved.baseUrl,
    fetch: fetchFor(send),
    headers: { ...resolved.headers, ...(form ? { "Content-Type": FORM_CONTENT_TYPE } : {}) },
    ...(form ? { bodySerializer: toRackForm } : {}),
  });

  // The helpers skip openapi-fetch's Request round trip and parse the body once; the
  // transport, and so auth, retries and errors, is the same one the raw client uses.
  async function request<T>(method: "GET" | "POST", path: string, body: unknown, call: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { ...resolved.headers };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = form ? toRackForm(body) : JSON.stringify(body);
      headers["content-type"] = form ? FORM_CONTENT_TYPE : "application/json";
    }
    // The helper picks the POST's key itself, so a thrown error can name it.
    if (method === "POST") headers[IDEMPOTENCY_HEADER] = call.idempotencyKey ?? (await randomUUID());
    const result = await send({ method, url: resolved.baseUrl + path, headers, body: payload }, call);
    if (result.status >= 200 && result.status < 300) return result.data as T;
    throw apiErrorFrom(result, result.text, result.idempotencyKey);
  }

  const sessions: SessionsResource = {
    async create(body, call) {
      checkBody(body, "The session body");
      return request("POST", "/api/v1/sessions", body, call);
    },
    async retrieve(id, call) {
      return request("GET", sessionPath(id), undefined, call);
    },
    async cancel(id, call) {
      return request("POST", sessionPath(id, "/cancel"), undefined, call);
    },
    async pay(id, body, call) {
      const path = sessionPath(id, "/pay");
      checkBody(body, "The pay body");
      return request("POST", path, body, call);
    },
  };

  return Object.assign(client, { sessions });
}
