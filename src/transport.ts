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

export const IDEMPOTENCY_HEADER = "X-KOMOJU-IDEMPOTENCY";
export const API_VERSION_HEADER = "X-KOMOJU-API-VERSION";

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

export interface TransportConfig {
  authorization: string;
  apiVersion: string | null;
  fetch: (input: Request) => Promise<Response>;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  hooks: KomojuHooks;
}

export type Transport = (request: Request, call?: RequestOptions) => Promise<Response>;

const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

class TimeoutSignal extends Error {}

function redactedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = name === "authorization" ? "[REDACTED]" : value;
  });
  return out;
}

function safely(hook: (() => void) | undefined): void {
  try {
    hook?.();
  } catch {
    // A logging hook must never turn a completed payment call into a failure.
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
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
 * The fetch that openapi-fetch calls: adds auth, API version and idempotency headers,
 * enforces per-attempt timeouts, retries what is safe to retry, and turns every
 * transport failure into a typed KomojuError. Each attempt sends a fresh copy of the
 * body, so retries never send an already-consumed stream.
 */
export function createTransport(config: TransportConfig): Transport {
  return async function transport(request: Request, call: RequestOptions = {}): Promise<Response> {
    const method = request.method;
    const url = request.url;
    const headers = new Headers(request.headers);
    headers.set("authorization", config.authorization);
    if (config.apiVersion !== null && !headers.has(API_VERSION_HEADER)) headers.set(API_VERSION_HEADER, config.apiVersion);
    for (const [name, value] of Object.entries(call.headers ?? {})) headers.set(name, value);

    let idempotencyKey: string | undefined;
    if (method === "POST") {
      idempotencyKey = call.idempotencyKey ?? headers.get(IDEMPOTENCY_HEADER) ?? (await randomUUID());
      if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
        throw new KomojuInvalidRequestError("idempotencyKey must be 1 to 100 printable ASCII characters without spaces.", "invalid_idempotency_key");
      }
      headers.set(IDEMPOTENCY_HEADER, idempotencyKey);
    }

    const body = request.body === null ? undefined : await request.arrayBuffer();
    if (body === undefined) headers.delete("content-type");

    const maxRetries = call.maxRetries ?? config.retry.maxRetries;
    const timeoutMs = call.timeoutMs ?? config.timeoutMs;
    const callerSignal = call.signal ?? request.signal;
    const errorOptions = { idempotencyKey };

    for (let attempt = 1; ; attempt++) {
      if (callerSignal.aborted) {
        throw new KomojuAbortError("The request was aborted by the caller.", "aborted", { ...errorOptions, cause: callerSignal.reason });
      }
      const event: RequestEvent = { method, url, attempt, idempotencyKey, headers: redactedHeaders(headers) };
      safely(config.hooks.onRequest && (() => config.hooks.onRequest!(event)));

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
      const forwardAbort = () => controller.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", forwardAbort, { once: true });
      const started = performance.now();

      let status: number | undefined;
      let failure: KomojuError | undefined;
      let retryable = false;
      let result: Response | undefined;
      try {
        let response: Response;
        try {
          response = await config.fetch(new Request(url, { method, headers, body, signal: controller.signal, redirect: "manual" }));
        } catch (cause) {
          throw { stage: "connect", cause };
        }
        status = response.status;
        let text: string;
        try {
          text = await readText(response, config.maxResponseBytes);
        } catch (cause) {
          throw { stage: cause instanceof RangeError ? "too-large" : "read", cause };
        }
        if (status >= 200 && status < 300 && text !== "") {
          try {
            JSON.parse(text);
          } catch (cause) {
            throw { stage: "parse", cause, text };
          }
        }
        if (isRetryableStatus(status)) retryable = true;
        result = new Response(NULL_BODY_STATUSES.has(status) ? null : text, {
          status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } catch (thrown) {
        const { stage, cause, text } = thrown as { stage: string; cause: unknown; text?: string };
        if (callerSignal.aborted) {
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
        callerSignal.removeEventListener("abort", forwardAbort);
      }

      const willRetry = retryable && attempt <= maxRetries;
      const delay = willRetry ? retryDelayMs(attempt, result?.headers.get("retry-after") ?? null, config.retry) : undefined;
      const durationMs = performance.now() - started;
      safely(config.hooks.onResponse && (() => config.hooks.onResponse!({ ...event, status, error: failure, durationMs, retryDelayMs: delay })));

      if (!willRetry) {
        if (failure) throw failure;
        return result!;
      }
      await result?.body?.cancel();
      try {
        await sleep(delay!, callerSignal);
      } catch (cause) {
        throw new KomojuAbortError("The request was aborted by the caller while waiting to retry.", "aborted", { ...errorOptions, cause });
      }
    }
  };
}
