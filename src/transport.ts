// The whole life of one API call, in named steps:
//   prepare   the URL, every header and the encoded body, or a refusal before anything is sent;
//   attempt   one fetch under a timeout, its body read and parsed;
//   decide    retry or not (retry.ts), and how long to wait;
//   finish    the answer, or the typed error of the last attempt.
import { onAbort, sleep } from "./abort.js";
import { randomUUID } from "./crypto.js";
import {
  errorDetail,
  KomojuAbortError,
  type KomojuClientErrorCode,
  KomojuConnectionError,
  KomojuError,
  KomojuInvalidRequestError,
  KomojuInvalidResponseError,
  KomojuTimeoutError,
  toKomojuError,
} from "./errors.js";
import { FORM_CONTENT_TYPE, toRackForm } from "./form.js";
import { createObserver } from "./observer.js";
import { type RequestOptions, type ResolvedCall, type ResolvedOptions, resolveCall } from "./options.js";
import { assertPlainData, isPlainObject } from "./plain-data.js";
import { buildUrl } from "./request-url.js";
import { type Expect, parseErrorBody, parseSuccessBody, readText } from "./response-body.js";
import { type FailureKind, type RetryPolicy, retryDelay } from "./retry.js";

const IDEMPOTENCY_HEADER = "x-komoju-idempotency";
const API_VERSION_HEADER = "x-komoju-api-version";
const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,100}$/;

/** One API call as the resource methods and the raw methods describe it. */
export interface ApiRequest {
  /** Upper case, one of the spec's methods. */
  method: string;
  /** The spec's path template, with `{name}` for each path parameter. */
  path: string;
  pathParams?: Record<string, unknown> | undefined;
  /** An object of query parameters, or undefined for none. */
  query?: unknown;
  /** The body as data, encoded as the client's `encoding` says; undefined sends none. */
  body?: unknown;
  /** The raw methods' own headers, checked already; they may set the idempotency key and content type. */
  headers?: Record<string, string> | undefined;
  /** The raw methods' per-call baseUrl; it must lie under the client's. */
  baseUrl?: string | undefined;
  expect: Expect;
  /** What refusals name: the resource method (`payments.capture`), or the raw method and path template. */
  where: string;
}

/** The final answer: its body read in full, and parsed (undefined when an error answer is not JSON). */
export interface ApiResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  data: unknown;
  idempotencyKey: string | undefined;
}

export type Send = (request: ApiRequest, options?: RequestOptions | null) => Promise<ApiResponse>;

/** Everything an attempt needs, settled before the first one. */
interface Prepared {
  client: ResolvedOptions;
  method: string;
  url: string;
  /** The path without its query (which may hold a customer's data), for messages. */
  label: string;
  headers: Record<string, string>;
  body: string | undefined;
  idempotencyKey: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  retry: RetryPolicy;
  expect: Expect;
}

/** How one attempt ended: an answer, or a failure and its kind for the retry policy. */
interface Outcome {
  answer?: ApiResponse;
  failure?: KomojuError;
  kind?: FailureKind;
}

/** The body as the client's encoding sends it; only plain data, so every field written is a field sent. */
function encodeBody(body: unknown, encoding: "json" | "form"): string {
  if (encoding === "form") return toRackForm(body);
  if (!isPlainObject(body)) throw new KomojuInvalidRequestError("The body must be an object.", "invalid_body");
  assertPlainData(body, "body");
  return JSON.stringify(body);
}

/**
 * `encode()`, with its refusals and whatever reading the caller's data throws (a
 * getter, a Proxy) as a KomojuInvalidRequestError naming the call. A thrown message is
 * not repeated: it may quote a value.
 */
function refused<T>(where: string, what: "query" | "body", encode: () => T): T {
  try {
    return encode();
  } catch (cause) {
    if (cause instanceof KomojuError) {
      throw new KomojuInvalidRequestError(`${where}: ${cause.message}`, cause.code as KomojuClientErrorCode, {
        param: cause.param,
        cause,
      });
    }
    const message = `${where}: the ${what} could not be read (a getter or Proxy threw ${(cause as Error)?.name}).`;
    throw new KomojuInvalidRequestError(message, what === "body" ? "invalid_body" : "invalid_query", { cause });
  }
}

/** The system's reason a connection failed (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, …), searched for down the cause chain. */
function causeCode(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === "string") return e.code;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return undefined;
}

/** The URL under the client's baseUrl, or a refusal: the key is for that origin and path only. */
function urlOf(client: ResolvedOptions, request: ApiRequest): string {
  const base = request.baseUrl?.replace(/\/+$/, "") ?? client.baseUrl;
  const url = refused(request.where, "query", () => buildUrl(base, request.path, request.pathParams, request.query));
  // Compared as fetch will read it, so `/../` or `%2e%2e` cannot walk out of baseUrl's path.
  const target = new URL(url);
  if (target.origin !== client.origin || !target.pathname.startsWith(client.basePath)) {
    throw new KomojuInvalidRequestError(
      `${request.method} refused: the URL is outside baseUrl ${client.baseUrl}.`,
      "url_outside_base_url",
    );
  }
  return url;
}

/** Every header of a call, in one place; the later ones win. */
function headersOf(client: ResolvedOptions, request: ApiRequest, call: ResolvedCall, hasBody: boolean) {
  const headers: Record<string, string> = { ...client.headers };
  if (client.apiVersion !== null) headers[API_VERSION_HEADER] ??= client.apiVersion;
  if (hasBody) headers["content-type"] = client.encoding === "form" ? FORM_CONTENT_TYPE : "application/json";
  Object.assign(headers, request.headers, call.headers, {
    authorization: client.authorization,
    "user-agent": client.userAgent,
  });
  if (!hasBody) delete headers["content-type"];
  return headers;
}

/** Step 1: everything settled before sending, or a KomojuInvalidRequestError. A POST's key is set here when the caller gave one. */
function prepare(client: ResolvedOptions, request: ApiRequest, options: RequestOptions | null | undefined): Prepared {
  const { method, expect, where } = request;
  const call = resolveCall(options, client);
  const url = urlOf(client, request);
  const body =
    request.body === undefined ? undefined : refused(where, "body", () => encodeBody(request.body, client.encoding));
  const headers = headersOf(client, request, call, body !== undefined);
  const label = `${method} ${url.slice(client.origin.length).split("?")[0]}`;
  const { signal, timeoutMs, retry } = call;
  const p: Prepared = {
    client,
    method,
    url,
    label,
    headers,
    body,
    idempotencyKey: undefined,
    signal,
    timeoutMs,
    retry,
    expect,
  };
  const given = call.idempotencyKey ?? headers[IDEMPOTENCY_HEADER];
  if (method === "POST" && given !== undefined) withIdempotencyKey(p, given);
  return p;
}

/** Every POST carries a key, the same on every attempt, so KOMOJU runs it at most once. */
function withIdempotencyKey(p: Prepared, key: string): void {
  if (!IDEMPOTENCY_KEY_SHAPE.test(key)) {
    throw new KomojuInvalidRequestError(
      "idempotencyKey must be 1 to 100 printable ASCII characters, no spaces.",
      "invalid_idempotency_key",
    );
  }
  p.idempotencyKey = key;
  p.headers[IDEMPOTENCY_HEADER] = key;
}

/** Step 2: one attempt under its own timeout, ending when the caller aborts even if fetch ignores its signal. */
async function attempt(p: Prepared, n: number): Promise<Outcome> {
  const controller = new AbortController();
  let giveUp!: (reason: unknown) => void;
  const gaveUp = new Promise<never>((_, reject) => {
    giveUp = reject;
  });
  let fetching: Promise<Response> | undefined;
  // A response that comes after the attempt gave up is not left holding its connection.
  gaveUp.catch(() => fetching?.then((late) => late.body?.cancel()).catch(() => undefined));
  const abort = () => {
    controller.abort();
    giveUp(controller.signal.reason);
  };
  const timer = setTimeout(abort, p.timeoutMs);
  const stop = onAbort(p.signal, abort);
  // Aborted from within onRequest: no abort event is left to come.
  if (p.signal?.aborted) abort();
  let response: Response | undefined;
  try {
    const init = {
      method: p.method,
      headers: p.headers,
      body: p.body,
      signal: controller.signal,
      redirect: "manual" as const,
    };
    fetching = p.client.fetch(p.url, init);
    response = await Promise.race([fetching, gaveUp]);
    return { answer: await Promise.race([read(p, response), gaveUp]) };
  } catch (cause) {
    return failed(p, n, cause, response, controller.signal.aborted);
  } finally {
    clearTimeout(timer);
    stop();
  }
}

/** The body of a response, read under maxResponseBytes and parsed once. */
async function read(p: Prepared, response: Response): Promise<ApiResponse> {
  const { status, headers } = response;
  const extra = { idempotencyKey: p.idempotencyKey, status, headers };
  if (status < 200 || status > 599) {
    await response.body?.cancel().catch(() => undefined);
    throw new KomojuInvalidResponseError(
      `${p.label}: HTTP status ${status} is not one HTTP defines.`,
      "invalid_status",
      extra,
    );
  }
  const text = await readText(
    response,
    p.client.maxResponseBytes,
    () =>
      new KomojuInvalidResponseError(
        `${p.label}: HTTP ${status} body over maxResponseBytes.`,
        "response_too_large",
        extra,
      ),
  );
  const data = status < 300 ? parseSuccessBody(text, status, p.expect, p.label, extra) : parseErrorBody(text);
  return { status, statusText: response.statusText, headers, text, data, idempotencyKey: p.idempotencyKey };
}

/** The typed failure of an attempt, told by how far it got: no response, or no whole body. */
function failed(p: Prepared, n: number, cause: unknown, response: Response | undefined, timedOut: boolean): Outcome {
  const options = { idempotencyKey: p.idempotencyKey, status: response?.status, cause };
  if (cause instanceof KomojuError) return { failure: cause, kind: "invalid" };
  if (p.signal?.aborted) return { failure: aborted(p, response?.status), kind: "invalid" };
  if (timedOut) {
    const message = `${p.label} timed out after ${p.timeoutMs} ms (attempt ${n}).`;
    return { failure: new KomojuTimeoutError(message, "timeout", options), kind: "timeout" };
  }
  if (!response) {
    const reason = causeCode(cause) ?? (cause as Error)?.message;
    // Nothing listening on a loopback baseUrl is almost always a local KOMOJU that is not running.
    const hint =
      reason === "ECONNREFUSED" && p.client.loopback
        ? " Is the local KOMOJU running? Start it with `npx komoju-local`."
        : "";
    const message = `${p.label}: could not reach ${p.client.origin} (${reason}) after ${n} attempt${n > 1 ? "s" : ""}.${hint}`;
    return { failure: new KomojuConnectionError(message, "connection_error", options), kind: "connection" };
  }
  const message = `${p.label}: HTTP ${response.status} body cut short.`;
  return { failure: new KomojuInvalidResponseError(message, "truncated_response", options), kind: "truncated" };
}

function aborted(p: Prepared, status?: number, waiting = ""): KomojuAbortError {
  return new KomojuAbortError(`${p.label} aborted by the caller${waiting}.`, "aborted", {
    idempotencyKey: p.idempotencyKey,
    status,
    cause: p.signal?.reason,
  });
}

/** Step 3: the wait before the next attempt, or undefined when this outcome is final. */
function decide(p: Prepared, outcome: Outcome, n: number): number | undefined {
  const { answer } = outcome;
  const kind = outcome.kind ?? (answer && answer.status >= 300 ? "status" : undefined);
  if (!kind) return undefined;
  const failure = {
    method: p.method,
    kind,
    status: answer?.status,
    code: errorDetail(answer?.data).code,
    retryAfter: answer?.headers.get("retry-after"),
  };
  return retryDelay(failure, n, p.retry);
}

/** The client's one way to call KOMOJU: prepare, then attempt and decide until an answer is final. */
export function createTransport(client: ResolvedOptions): Send {
  const observer = createObserver(client.hooks, client.logLevel);
  return async function send(request, options) {
    let p: Prepared;
    try {
      p = prepare(client, request, options);
      if (p.method === "POST" && p.idempotencyKey === undefined) withIdempotencyKey(p, await randomUUID());
    } catch (error) {
      // A throwing getter or Proxy among the options, an unreadable URL: bad input too.
      throw toKomojuError(error);
    }
    const redacted = observer?.redact(p.headers);
    for (let n = 1; ; n++) {
      if (p.signal?.aborted) throw aborted(p);
      const { method, url, idempotencyKey } = p;
      const event = observer?.request({ method, url, attempt: n, idempotencyKey, headers: redacted! });
      const outcome = await attempt(p, n);
      const delay = decide(p, outcome, n);
      const status = outcome.answer?.status ?? outcome.failure?.status;
      if (event) observer!.response(event, { status, error: outcome.failure, retryDelayMs: delay });
      // Step 4: the answer, or the last failure.
      if (delay === undefined) {
        if (outcome.failure) throw outcome.failure;
        return outcome.answer!;
      }
      await sleep(delay, p.signal);
      if (p.signal?.aborted) throw aborted(p, undefined, " while waiting to retry");
    }
  };
}
