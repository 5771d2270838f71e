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
  data?: unknown;
  idempotencyKey: string | undefined;
}

export type Send = (outgoing: Outgoing, call?: RequestOptions) => Promise<Incoming>;

const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;

function safely<E>(hook: ((event: E) => void) | undefined, event: E): void {
  try {
    hook?.(event);
  } catch {
    // A logging hook must never turn a completed payment call into a failure.
  }
}

/** Reads a body as text, refusing more than `limit` bytes (with a RangeError) without buffering them. */
async function readText(response: Response, limit: number): Promise<string> {
  const declared = response.headers.get("content-length");
  if (Number(declared) > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new RangeError();
  }
  if (declared !== null) return response.text();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  // Throwing inside the loop cancels the stream, so the rest of a refused body is not downloaded.
  for await (const chunk of response.body ?? []) {
    if ((size += chunk.byteLength) > limit) throw new RangeError();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Sends one logical request: adds auth, API version and idempotency headers, enforces
 * per-attempt timeouts, retries what is safe to retry, and turns every transport
 * failure into a typed KomojuError. Bodies are strings or buffers, so every attempt
 * sends them afresh.
 */
export function createTransport({ authorization, apiVersion, fetch, retry, timeoutMs, maxResponseBytes, hooks }: TransportConfig): Send {
  // Events cost time to build, so only a client with hooks builds them.
  const { onRequest, onResponse } = hooks;
  const observed = onRequest || onResponse;
  return async (outgoing, call = {}) => {
    const { method, url, body } = outgoing;
    const headers: Record<string, string> = { ...outgoing.headers, authorization };
    if (apiVersion !== null) headers[API_VERSION_HEADER] ??= apiVersion;
    for (const [name, value] of Object.entries(call.headers ?? {})) headers[name.toLowerCase()] = value;
    if (body === undefined) delete headers["content-type"];

    let idempotencyKey: string | undefined;
    if (method === "POST") {
      idempotencyKey = headers[IDEMPOTENCY_HEADER] = call.idempotencyKey ?? headers[IDEMPOTENCY_HEADER] ?? (await randomUUID());
      if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
        throw new KomojuInvalidRequestError("idempotencyKey must be 1 to 100 printable ASCII characters, no spaces.", "invalid_idempotency_key");
      }
    }

    const maxRetries = call.maxRetries ?? retry.maxRetries;
    const timeout = call.timeoutMs ?? timeoutMs;
    const signal = call.signal ?? outgoing.signal;
    const redacted = observed && { ...headers, authorization: "[REDACTED]" };
    const aborted = (status?: number, waiting = "") =>
      new KomojuAbortError(`Aborted by the caller${waiting}.`, "aborted", { idempotencyKey, status, cause: signal!.reason });

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted();
      const event = redacted && { method, url, attempt, idempotencyKey, headers: redacted };
      if (event) safely(onRequest, event);

      // One controller per attempt, aborted by the timeout or by the caller; which of the
      // two fired is read off the caller's signal afterwards.
      const controller = new AbortController();
      const abort = () => controller.abort();
      const timer = setTimeout(abort, timeout);
      signal?.addEventListener("abort", abort);
      const started = event ? performance.now() : 0;

      let response: Response | undefined;
      let text: string | undefined;
      let result: Incoming | undefined;
      let failure: KomojuError | undefined;
      let retryable = true;
      try {
        response = await fetch(url, { method, headers, body, signal: controller.signal, redirect: "manual" });
        text = await readText(response, maxResponseBytes);
        const { status } = response;
        result = { status, statusText: response.statusText, headers: response.headers, text, idempotencyKey };
        if (status >= 200 && status < 300 && text !== "") result.data = JSON.parse(text);
        retryable = isRetryableStatus(status);
      } catch (cause) {
        // The step that failed is told by what was reached: no response, no body, or a
        // body that is not JSON. Failures are retryable unless said otherwise.
        const status = response?.status;
        const options = { idempotencyKey, status, cause };
        if (signal?.aborted) {
          failure = aborted(status);
          retryable = false;
        } else if (controller.signal.aborted) {
          failure = new KomojuTimeoutError(`Timed out after ${timeout} ms (attempt ${attempt}).`, "timeout", options);
        } else if (!response) {
          failure = new KomojuConnectionError(`Could not reach KOMOJU: ${(cause as Error)?.message ?? cause}`, "connection_error", options);
        } else if (cause instanceof RangeError) {
          failure = new KomojuInvalidResponseError(`HTTP ${status} body over maxResponseBytes; not read.`, "response_too_large", options);
          retryable = false;
        } else if (text === undefined) {
          failure = new KomojuInvalidResponseError(`HTTP ${status} body cut short.`, "truncated_response", options);
        } else {
          failure = new KomojuInvalidResponseError(`HTTP ${status} body is not JSON.`, "invalid_json", { ...options, body: text });
          retryable = false;
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }

      const delay = retryable && attempt <= maxRetries ? retryDelayMs(attempt, result?.headers.get("retry-after") ?? null, retry) : undefined;
      if (event) safely(onResponse, { ...event, status: result?.status ?? failure?.status, error: failure, durationMs: performance.now() - started, retryDelayMs: delay });
      if (delay === undefined) {
        if (failure) throw failure;
        return result!;
      }
      // The wait ends early when the caller aborts, and is then reported as such.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(wait);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const wait = setTimeout(done, signal?.aborted ? 0 : delay);
        signal?.addEventListener("abort", done);
      });
      if (signal?.aborted) throw aborted(undefined, " while waiting to retry");
    }
  };
}

/** The fetch openapi-fetch calls: the same transport, from a Request and back to a Response. */
export function fetchFor(send: Send): (request: Request) => Promise<Response> {
  return async (request) => {
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const result = await send({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body, signal: request.signal });
    // An empty body goes back as none: 204 and 304 responses may not carry one at all.
    return new Response(result.text || null, { status: result.status, statusText: result.statusText, headers: result.headers });
  };
}
