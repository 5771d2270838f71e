import { randomUUID } from "./crypto.js";
import { errorDetail, toKomojuError } from "./error-mapping.js";
import {
  KomojuAbortError,
  KomojuConnectionError,
  KomojuError,
  KomojuInvalidRequestError,
  KomojuInvalidResponseError,
  KomojuTimeoutError,
} from "./errors.js";
import { resolveCall, VERSION } from "./options.js";
import { type FailureKind, type RetryPolicy, retryDelay } from "./retry.js";

export const IDEMPOTENCY_HEADER = "x-komoju-idempotency";
export const API_VERSION_HEADER = "x-komoju-api-version";

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
  onRequest?: (event: RequestEvent) => unknown;
  /** Called after every attempt, failed or not. Exceptions thrown and promises rejected here are ignored. */
  onResponse?: (event: ResponseEvent) => unknown;
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
  /** Extra headers for this call; the client's own (authorization, idempotency, content-type, …) are refused. */
  headers?: Record<string, string>;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  authorization: string;
  /** Requests go here and nowhere else: the credentials are for this origin and path. */
  baseUrl: string;
  apiVersion: string | null;
  fetch: FetchLike;
  retry: RetryPolicy;
  timeoutMs: number;
  maxResponseBytes: number;
  hooks: KomojuHooks;
  logLevel?: "debug" | "off";
}

/** One logical request; header names are lower case, checked by options.ts's checkHeaders. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /**
   * What a 2xx must carry: a JSON object (the default), a JSON array, any JSON or
   * nothing (`"json"`), or no body worth reading (`false`, for operations without one).
   */
  expectBody?: "object" | "array" | "json" | false;
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

export type Send = (outgoing: Outgoing, call?: RequestOptions | null) => Promise<Incoming>;

const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;
/** The one list of header names whose values hooks and logs never see. */
const SECRET_HEADERS = /auth|cookie|token|secret|password|api-?key|session/i;

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

function redact(headers: Record<string, string>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in headers) copy[name] = SECRET_HEADERS.test(name) ? "[REDACTED]" : headers[name]!;
  return copy;
}

function safely<E>(hook: ((event: E) => unknown) | undefined, event: E): void {
  // A logging hook must never turn a completed payment call into a failure, nor an
  // async one into an unhandled rejection.
  try {
    (hook?.(event) as Promise<unknown> | undefined)?.then?.(undefined, () => undefined);
  } catch {
    // Ignored, as documented.
  }
}

// One listener per caller's signal, however many calls share it: a listener per call
// would trip Node's MaxListenersExceededWarning past ten concurrent calls.
const abortCallbacks = /* @__PURE__ */ new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `callback` when `signal` aborts; returns what stops that. */
function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  let callbacks = abortCallbacks.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    abortCallbacks.set(signal, (callbacks = set));
    signal.addEventListener("abort", () => set.forEach((f) => f()), { once: true });
  }
  callbacks.add(callback);
  return () => void callbacks.delete(callback);
}

/**
 * Reads a body as text, counting decoded bytes (what a gzip body becomes, not what it
 * weighs on the wire) and refusing more than `limit` without buffering them.
 */
async function readText(response: Response, limit: number, tooLarge: () => KomojuError): Promise<string> {
  const encoded = response.headers.get("content-encoding");
  const declared = response.headers.get("content-length");
  if ((!encoded || encoded === "identity") && /^\d+$/.test(declared ?? "")) {
    // Unencoded with a length: refused up front when too long, else read whole, which
    // costs far less than streaming. The bytes are still counted: an injected fetch may
    // hand over more than its header says.
    const bytes = Number(declared) > limit ? await response.body?.cancel() : await response.arrayBuffer();
    if (bytes && bytes.byteLength <= limit) return new TextDecoder().decode(bytes);
    throw tooLarge();
  }
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  // Throwing inside the loop cancels the stream, so the rest of a refused body is not downloaded.
  for await (const chunk of response.body ?? []) {
    if ((size += chunk.byteLength) > limit) throw tooLarge();
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/** The system's reason a connection failed (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, …), searched for down the cause chain. */
function causeCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0;
    e && depth < 4;
    depth++
  ) {
    if (typeof e.code === "string") return e.code;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return undefined;
}

/** The path of `url` without its query, which may hold a customer's data. */
const pathOf = (url: string, baseUrl: string) => url.slice(baseUrl.length).split("?")[0];

/** Whether a 2xx body fits what the operation declares. */
function fits(data: unknown, expect: "object" | "array"): boolean {
  return expect === "array" ? Array.isArray(data) : data !== null && typeof data === "object" && !Array.isArray(data);
}

/**
 * Sends one logical request: adds auth, API version, idempotency and User-Agent headers,
 * enforces per-attempt timeouts, retries what the retry policy allows, and turns every
 * transport failure into a typed KomojuError. Bodies are strings, so every
 * attempt sends them afresh.
 */
export function createTransport({
  authorization,
  baseUrl,
  apiVersion,
  fetch,
  retry,
  timeoutMs,
  maxResponseBytes,
  hooks,
  logLevel,
}: TransportConfig): Send {
  const { onRequest, onResponse } = hooks;
  const log =
    logLevel === "debug"
      ? (e: ResponseEvent) =>
          console.debug(
            `komoju-ts ${e.method} ${e.url} attempt ${e.attempt}: ${e.error ? `${e.error.name} ${e.error.code}` : e.status} in ${Math.round(e.durationMs)} ms${
              e.retryDelayMs === undefined ? "" : `, retry in ${Math.round(e.retryDelayMs)} ms`
            } ${JSON.stringify(e.headers)}`,
          )
      : undefined;
  // Events cost time to build, so only a client that hooks or logs builds them.
  const observed = onRequest || onResponse || log;
  const { origin, pathname } = new URL(baseUrl);
  const basePath = `${pathname.replace(/\/$/, "")}/`;
  const userAgent = `komoju-ts/${VERSION} (${runtime()})`;
  return async (outgoing, options) => {
    const { method, url, body, expectBody = "object" } = outgoing;
    let call: ReturnType<typeof resolveCall>;
    let target: URL;
    try {
      call = resolveCall(options, { timeoutMs, maxRetries: retry.maxRetries });
      target = new URL(url);
    } catch (error) {
      // A throwing getter or Proxy among the options, or an unreadable URL: bad input too.
      throw toKomojuError(error);
    }
    // Compared as fetch will read it, so `/../` or `%2e%2e` cannot walk out of baseUrl's
    // path; the raw client's per-call `baseUrl` cannot take the key elsewhere either.
    if (target.origin !== origin || !target.pathname.startsWith(basePath)) {
      throw new KomojuInvalidRequestError(
        `${method} refused: the URL is outside baseUrl ${baseUrl}.`,
        "url_outside_base_url",
      );
    }
    const headers: Record<string, string> = { ...outgoing.headers };
    if (apiVersion !== null) headers[API_VERSION_HEADER] ??= apiVersion;
    Object.assign(headers, call.headers, { authorization, "user-agent": userAgent });
    if (body === undefined) delete headers["content-type"];

    let idempotencyKey: string | undefined;
    if (method === "POST") {
      idempotencyKey = headers[IDEMPOTENCY_HEADER] =
        call.idempotencyKey ?? headers[IDEMPOTENCY_HEADER] ?? (await randomUUID());
      if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
        throw new KomojuInvalidRequestError(
          "idempotencyKey must be 1 to 100 printable ASCII characters, no spaces.",
          "invalid_idempotency_key",
        );
      }
    }

    const { signal, timeoutMs: timeout, maxRetries } = call;
    const policy = maxRetries === retry.maxRetries ? retry : { ...retry, maxRetries };
    const redacted = observed && redact(headers);
    const path = pathOf(url, baseUrl);
    const aborted = (status?: number, waiting = "") =>
      new KomojuAbortError(`${method} ${path} aborted by the caller${waiting}.`, "aborted", {
        idempotencyKey,
        status,
        cause: signal!.reason,
      });

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw aborted();
      const event = redacted && { method, url, attempt, idempotencyKey, headers: redacted };
      if (event) safely(onRequest, event);

      // One controller per attempt, aborted by the timeout or by the caller; which of the
      // two fired is read off the caller's signal afterwards.
      const controller = new AbortController();
      // An injected fetch may ignore its signal, or hand over a body that never ends: the
      // attempt still ends when the signal fires.
      let giveUp!: (reason: unknown) => void;
      const gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
      let fetching: Promise<Response> | undefined;
      // A response that comes after the attempt gave up is not left holding its connection.
      gaveUp.catch(() => fetching?.then((late) => late.body?.cancel()).catch(() => undefined));
      const abort = () => {
        controller.abort();
        giveUp(controller.signal.reason);
      };
      const timer = setTimeout(abort, timeout);
      const stop = onAbort(signal, abort);
      // Aborted from within onRequest: no abort event is left to come.
      if (signal?.aborted) abort();
      const started = event ? performance.now() : 0;

      let response: Response | undefined;
      let text: string | undefined;
      let result: Incoming | undefined;
      let failure: KomojuError | undefined;
      let kind: FailureKind | undefined;
      let code: string | undefined;
      try {
        response = await Promise.race([
          (fetching = fetch(url, { method, headers, body, signal: controller.signal, redirect: "manual" })),
          gaveUp,
        ]);
        const { status } = response;
        const options = { idempotencyKey, status, headers: response.headers };
        if (status < 200 || status > 599) {
          await response.body?.cancel().catch(() => undefined);
          throw new KomojuInvalidResponseError(
            `${method} ${path}: HTTP status ${status} is not one HTTP defines.`,
            "invalid_status",
            options,
          );
        }
        text = await Promise.race([
          readText(
            response,
            maxResponseBytes,
            () =>
              new KomojuInvalidResponseError(
                `${method} ${path}: HTTP ${status} body over maxResponseBytes.`,
                "response_too_large",
                options,
              ),
          ),
          gaveUp,
        ]);
        result = { status, statusText: response.statusText, headers: response.headers, text, idempotencyKey };
        if (status < 300) {
          if (expectBody !== false && !(expectBody === "json" && (text === "" || status === 204 || status === 205))) {
            let data: unknown;
            try {
              data = JSON.parse(text);
            } catch (cause) {
              throw new KomojuInvalidResponseError(
                `${method} ${path}: HTTP ${status} body is ${text ? "not JSON" : "empty"}.`,
                "invalid_json",
                { ...options, body: text, cause },
              );
            }
            if (expectBody !== "json" && !fits(data, expectBody)) {
              throw new KomojuInvalidResponseError(
                `${method} ${path}: HTTP ${status} body is not a JSON ${expectBody}.`,
                "unexpected_body",
                { ...options, body: text },
              );
            }
            result.data = data;
          }
        } else {
          kind = "status";
          code = errorDetail(text).code;
        }
      } catch (cause) {
        // The step that failed is told by what was reached: no response, or no whole body.
        const status = response?.status;
        const options = { idempotencyKey, status, cause };
        if (cause instanceof KomojuError) {
          failure = cause;
          kind = "invalid";
        } else if (signal?.aborted) {
          failure = aborted(status);
          kind = "invalid";
        } else if (controller.signal.aborted) {
          failure = new KomojuTimeoutError(
            `${method} ${path} timed out after ${timeout} ms (attempt ${attempt}).`,
            "timeout",
            options,
          );
          kind = "timeout";
        } else if (!response) {
          const reason = causeCode(cause) ?? (cause as Error)?.message;
          failure = new KomojuConnectionError(
            `${method} ${path}: could not reach ${origin} (${reason}) after ${attempt} attempt${attempt > 1 ? "s" : ""}.`,
            "connection_error",
            options,
          );
          kind = "connection";
        } else {
          failure = new KomojuInvalidResponseError(
            `${method} ${path}: HTTP ${status} body cut short.`,
            "truncated_response",
            options,
          );
          kind = "truncated";
        }
      } finally {
        clearTimeout(timer);
        stop();
      }

      const delay =
        kind &&
        retryDelay(
          { method, kind, status: result?.status, code, retryAfter: result?.headers.get("retry-after") },
          attempt,
          policy,
        );
      if (event) {
        const done = {
          ...event,
          status: result?.status ?? failure?.status,
          error: failure,
          durationMs: performance.now() - started,
          retryDelayMs: delay,
        };
        safely(onResponse, done);
        safely(log, done);
      }
      if (delay === undefined) {
        if (failure) throw failure;
        return result!;
      }
      // The wait ends early when the caller aborts, and is then reported as such.
      await new Promise<void>((resolve) => {
        const unlisten = onAbort(signal, () => {
          clearTimeout(wait);
          resolve();
        });
        const wait = setTimeout(
          () => {
            unlisten();
            resolve();
          },
          signal?.aborted ? 0 : delay,
        );
      });
      if (signal?.aborted) throw aborted(undefined, " while waiting to retry");
    }
  };
}
