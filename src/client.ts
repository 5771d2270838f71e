import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/komoju-api.js";
import { randomUUID } from "./crypto.js";
import { apiErrorFrom, KomojuInvalidRequestError } from "./errors.js";
import { FORM_CONTENT_TYPE, toRackForm } from "./form.js";
import { type KomojuClientOptions as BaseOptions, resolveOptions } from "./options.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.js";
import { createTransport, IDEMPOTENCY_HEADER, type KomojuHooks, type RequestOptions, type Transport } from "./transport.js";
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

function nonNegativeInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new KomojuInvalidRequestError(`${name} must be a non-negative integer.`, "invalid_client_options");
  }
  return value;
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  const result = nonNegativeInteger(value, name, fallback);
  if (result === 0) throw new KomojuInvalidRequestError(`${name} must be greater than 0.`, "invalid_client_options");
  return result;
}

function sessionId(id: unknown): string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new KomojuInvalidRequestError("A session id is required (a non-empty string such as the `id` Create returned).", "invalid_session_id");
  }
  return id;
}

function requestBody(body: unknown, what: string): void {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new KomojuInvalidRequestError(`${what} must be an object.`, "invalid_body");
  }
}

export function createKomojuClient(options: KomojuClientOptions): KomojuClient {
  const resolved = resolveOptions(options);
  const retry: RetryPolicy = {
    maxRetries: nonNegativeInteger(options.maxRetries, "maxRetries", DEFAULT_RETRY_POLICY.maxRetries),
    baseDelayMs: nonNegativeInteger(options.retryDelay?.baseDelayMs, "retryDelay.baseDelayMs", DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: nonNegativeInteger(options.retryDelay?.maxDelayMs, "retryDelay.maxDelayMs", DEFAULT_RETRY_POLICY.maxDelayMs),
    retryAfterCapMs: nonNegativeInteger(options.retryDelay?.retryAfterCapMs, "retryDelay.retryAfterCapMs", DEFAULT_RETRY_POLICY.retryAfterCapMs),
  };
  const transport: Transport = createTransport({
    authorization: resolved.authorization,
    apiVersion: resolved.apiVersion,
    fetch: resolved.fetch,
    retry,
    timeoutMs: positiveInteger(options.timeoutMs, "timeoutMs", 60_000),
    maxResponseBytes: nonNegativeInteger(options.maxResponseBytes, "maxResponseBytes", 16 * 1024 * 1024),
    hooks: options.hooks ?? {},
  });

  const form = resolved.encoding === "form";
  const client = createClient<paths>({
    baseUrl: resolved.baseUrl,
    fetch: (request) => transport(request),
    headers: { ...resolved.headers, ...(form ? { "Content-Type": FORM_CONTENT_TYPE } : {}) },
    ...(form ? { bodySerializer: toRackForm } : {}),
  });

  // Per-call options reach the transport through a per-call fetch, so the raw
  // client and the helpers share one code path.
  const init = (call: RequestOptions = {}) => ({
    fetch: (request: Request) => transport(request, call),
    ...(call.signal ? { signal: call.signal } : {}),
  });

  async function unwrap<T>(result: Promise<{ data?: T; error?: unknown; response: Response }>, idempotencyKey?: string): Promise<T> {
    const { data, error, response } = await result;
    if (!response.ok) throw apiErrorFrom(response, error, idempotencyKey);
    return data as T;
  }

  // The helpers choose the POST's key themselves (the transport would otherwise), so a
  // thrown error can name the key to retry with.
  async function post<T>(call: RequestOptions = {}, send: (header: Record<string, string>, key: string) => Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const key = call.idempotencyKey ?? (await randomUUID());
    return unwrap(send({ [IDEMPOTENCY_HEADER]: key }, key), key);
  }

  const sessions: SessionsResource = {
    async create(body, call) {
      requestBody(body, "The session body");
      return post(call, (header) => client.POST("/api/v1/sessions", { body, params: { header }, ...init(call) }));
    },
    async retrieve(id, call) {
      return unwrap(client.GET("/api/v1/sessions/{id}", { params: { path: { id: sessionId(id) } }, ...init(call) }));
    },
    async cancel(id, call) {
      const path = { id: sessionId(id) };
      return post(call, (header) => client.POST("/api/v1/sessions/{id}/cancel", { params: { path, header }, ...init(call) }));
    },
    async pay(id, body, call) {
      const path = { id: sessionId(id) };
      requestBody(body, "The pay body");
      return post(call, (header) => client.POST("/api/v1/sessions/{id}/pay", { body, params: { path, header }, ...init(call) }));
    },
  };

  return Object.assign(client, { sessions });
}
