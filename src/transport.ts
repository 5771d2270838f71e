import { randomUUID } from "./crypto.js";
import {
  KomojuAbortError,
  KomojuConnectionError,
  KomojuError,
  KomojuInvalidRequestError,
  KomojuInvalidResponseError,
  KomojuTimeoutError,
} from "./errors.js";
import { isRetryableStatus, type RetryPolicy, retryDelayMs } from "./retry.js";

export const IDEMPOTENCY_HEADER = "x-komoju-idempotency";
export const API_VERSION_HEADER = "x-komoju-api-version";

/** What a hook sees of one attempt. The Authorization header is redacted. */
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
  /** Called before every attempt. Exceptions thrown here are ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Called after every attempt, failed or not. Exceptions thrown here are ignored. */
  onResponse?: (event: ResponseEvent) => void;
}

/** Per-call options of the resource helpers. */
export interface RequestOptions {
  /** For POSTs: reuse this key instead of a generated one, e.g. to retry a call made earlier. */
  idempotencyKey?: string;
  /** Cancels the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Overrides the client's retry count for this call. */
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  authorization: string;
  apiVersion: string | null;
  fetch: FetchLike;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  hooks: KomojuHooks;
}

/** One logical request; header names are lower case. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | ArrayBuffer | undefined;
  signal?: AbortSignal | undefined;
}

/** The final answer: body read in full, and parsed when it is a 2xx. */
export interface Incoming {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  data: unknown;
  idempotencyKey: string | undefined;
}

export type Send = (outgoing: Outgoing, call?: RequestOptions) => Promise<Incoming>;

const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;

class TimeoutSignal extends Error {}

/** Where an attempt failed, so the right typed error can be made of it. */
class Failure {
  constructor(
    readonly stage: "connect" | "read" | "too-large" | "parse",
    readonly cause: unknown,
    readonly text?: string,
  ) {}
}

function safely(hook: (() => void) | undefined): void {
  try {
    hook?.();
  } catch {
    // A logging hook must never turn a completed payment call into a failure.
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Reads a body as text, refusing more than `limit` bytes without buffering them. */
async function readText(response: Response, limit: number): Promise<string> {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new RangeError(`declared ${declared} bytes`);
  }
  if (!response.body) return "";
  if (declared !== null) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new RangeError(`more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Sends one logical request: adds auth, API version and idempotency headers, enforces
 * per-attempt timeouts, retries what is safe to retry, and turns every transport
 * failure into a typed KomojuError. Bodies are strings or buffers, so every attempt
 * sends them afresh.
 */
export function createTransport(config: TransportConfig): Send {
  const { hooks } = config;
  const observed = hooks.onRequest !== undefined || hooks.onResponse !== undefined;

  return async function send(outgoing, call = {}) {
    const { method, url, body } = outgoing;
    const headers: Record<string, string> = { ...outgoing.headers, authorization: config.authorization };
    if (config.apiVersion !== null && headers[API_VERSION_HEADER] === undefined) headers[API_VERSION_HEADER] = config.apiVersion;
    if (call.headers) for (const [name, value] of Object.entries(call.headers)) headers[name.toLowerCase()] = value;
    if (body === undefined) delete headers["content-type"];

    let idempotencyKey: string | undefined;
    if (method === "POST") {
      idempotencyKey = call.idempotencyKey ?? headers[IDEMPOTENCY_HEADER] ?? (await randomUUID());
      if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
        throw new KomojuInvalidRequestError("idempotencyKey must be 1 to 100 printable ASCII characters without spaces.", "invalid_idempotency_key");
      }
      headers[IDEMPOTENCY_HEADER] = idempotencyKey;
    }

    const maxRetries = call.maxRetries ?? config.retry.maxRetries;
    const timeoutMs = call.timeoutMs ?? config.timeoutMs;
    const callerSignal = call.signal ?? outgoing.signal;
    const errorOptions = { idempotencyKey };
    const redacted = observed ? { ...headers, authorization: "[REDACTED]" } : headers;

    for (let attempt = 1; ; attempt++) {
      if (callerSignal?.aborted) {
        throw new KomojuAbortError("The request was aborted by the caller.", "aborted", { ...errorOptions, cause: callerSignal.reason });
      }
      const event: RequestEvent | undefined = observed ? { method, url, attempt, idempotencyKey, headers: redacted } : undefined;
      if (hooks.onRequest) safely(() => hooks.onRequest!(event!));

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
      const forwardAbort = () => controller.abort(callerSignal!.reason);
      callerSignal?.addEventListener("abort", forwardAbort, { once: true });
      const started = observed ? performance.now() : 0;

      let response: Response | undefined;
      let result: Incoming | undefined;
      let failure: KomojuError | undefined;
      let retryable = false;
      try {
        try {
          response = await config.fetch(url, { method, headers, body, signal: controller.signal, redirect: "manual" });
        } catch (cause) {
          throw new Failure("connect", cause);
        }
        const { status } = response;
        let text: string;
        try {
          text = await readText(response, config.maxResponseBytes);
        } catch (cause) {
          throw new Failure(cause instanceof RangeError ? "too-large" : "read", cause);
        }
        let data: unknown;
        if (status >= 200 && status < 300 && text !== "") {
          try {
            data = JSON.parse(text);
          } catch (cause) {
            throw new Failure("parse", cause, text);
          }
        }
        retryable = isRetryableStatus(status);
        result = { status, statusText: response.statusText, headers: response.headers, text, data, idempotencyKey };
      } catch (thrown) {
        const { stage, cause, text } = thrown instanceof Failure ? thrown : new Failure("connect", thrown);
        const status = response?.status;
        if (callerSignal?.aborted) {
          failure = new KomojuAbortError("The request was aborted by the caller.", "aborted", { ...errorOptions, status, cause: callerSignal.reason });
        } else if (controller.signal.aborted) {
          failure = new KomojuTimeoutError(`No complete response within ${timeoutMs} ms (attempt ${attempt}).`, "timeout", { ...errorOptions, status });
          retryable = true;
        } else if (stage === "connect") {
          failure = new KomojuConnectionError(`Could not reach KOMOJU: ${(cause as Error)?.message ?? String(cause)}`, "connection_error", { ...errorOptions, cause });
          retryable = true;
        } else if (stage === "too-large") {
          failure = new KomojuInvalidResponseError(`The response body is larger than ${config.maxResponseBytes} bytes; refusing to read it.`, "response_too_large", { ...errorOptions, status });
        } else if (stage === "read") {
          failure = new KomojuInvalidResponseError(`The response body was cut short (HTTP ${status}).`, "truncated_response", { ...errorOptions, status, cause });
          retryable = true;
        } else {
          failure = new KomojuInvalidResponseError(`HTTP ${status} with a body that is not JSON.`, "invalid_json", { ...errorOptions, status, body: text, cause });
        }
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener("abort", forwardAbort);
      }

      const willRetry = retryable && attempt <= maxRetries;
      const delay = willRetry ? retryDelayMs(attempt, result?.headers.get("retry-after") ?? null, config.retry) : undefined;
      if (hooks.onResponse) {
        const durationMs = performance.now() - started;
        safely(() => hooks.onResponse!({ ...event!, status: result?.status ?? failure?.status, error: failure, durationMs, retryDelayMs: delay }));
      }

      if (!willRetry) {
        if (failure) throw failure;
        return result!;
      }
      try {
        await sleep(delay!, callerSignal);
      } catch (cause) {
        throw new KomojuAbortError("The request was aborted by the caller while waiting to retry.", "aborted", { ...errorOptions, cause });
      }
    }
  };
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The fetch openapi-fetch calls: the same transport, from a Request and back to a Response. */
export function fetchFor(send: Send): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const result = await send({ method: request.method, url: request.url, headers, body, signal: request.signal });
    return new Response(NULL_BODY_STATUSES.has(result.status) ? null : result.text, {
      status: result.status,
      statusText: result.statusText,
      headers: result.headers,
    });
  };
}
