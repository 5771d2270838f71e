import { isRetryable } from "./retry.js";
import type { components } from "../generated/komoju-api.js";

type ErrorDetail = components["schemas"]["ErrorDetail"];

/** At most this much of an unexpected body is kept on an error, so logs stay readable. */
const BODY_EXCERPT_LENGTH = 500;

function excerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH ? `${body.slice(0, BODY_EXCERPT_LENGTH)}… (${body.length} characters)` : body;
}

export interface KomojuErrorOptions {
  status?: number | undefined;
  code?: string | undefined;
  param?: string | null | undefined;
  headers?: Headers | undefined;
  body?: string | undefined;
  idempotencyKey?: string | undefined;
  cause?: unknown;
}

/**
 * Every error this package throws. Carries what KOMOJU said (`status`, `code`,
 * `param`, `message`) and never the secret key or the Authorization header: the
 * request is deliberately not attached.
 */
export class KomojuError extends Error {
  override name = "KomojuError";
  /** HTTP status, when a response arrived. */
  declare readonly status: number | undefined;
  /** KOMOJU's machine-readable code (`not_found`, `missing_parameter`, …), or this package's own (`connection_error`, …). */
  declare readonly code: string;
  /** The parameter KOMOJU blamed, if any. */
  declare readonly param: string | null;
  /** The response's headers, when a response arrived. */
  declare readonly headers: Headers | undefined;
  /** An excerpt of a body that could not be read as KOMOJU's error envelope. */
  declare readonly body: string | undefined;
  /** The idempotency key the request carried (POST only), to retry it safely. */
  declare readonly idempotencyKey: string | undefined;

  constructor(message: string, code: string, { status, param = null, headers, body, idempotencyKey, cause }: KomojuErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause });
    // The fields are declared, not defined, so the bundle carries no initializers; they
    // are assigned in their declared order, which toJSON's and loggers' output keeps.
    this.status = status;
    this.code = code;
    this.param = param;
    this.headers = headers;
    this.body = body && excerpt(body);
    this.idempotencyKey = idempotencyKey;
  }

  /** Everything above plus the message, for loggers that JSON.stringify errors. */
  toJSON(): object {
    return { ...this, headers: undefined, message: this.message };
  }
}

/** KOMOJU (or something in front of it) answered with an error status. */
export class KomojuApiError extends KomojuError {
  override name = "KomojuApiError";
  declare readonly status: number;
}
/** 400 `bad_request`: the request could not be parsed. */
export class BadRequestError extends KomojuApiError {
  override name = "BadRequestError";
}
/** 401: the secret key is missing or wrong. */
export class AuthenticationError extends KomojuApiError {
  override name = "AuthenticationError";
}
/** 403: the key may not do this. */
export class PermissionDeniedError extends KomojuApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such resource. */
export class NotFoundError extends KomojuApiError {
  override name = "NotFoundError";
}
/** 409: a request with the same idempotency key is still in flight. */
export class IdempotencyConflictError extends KomojuApiError {
  override name = "IdempotencyConflictError";
}
/** 422: a parameter is missing or invalid, or the resource's state forbids this. */
export class UnprocessableEntityError extends KomojuApiError {
  override name = "UnprocessableEntityError";
}
/** 429: too many requests. */
export class RateLimitError extends KomojuApiError {
  override name = "RateLimitError";
}
/**
 * 402, or a 502 naming the processor's answer (`card_declined`, `insufficient_funds`,
 * `card_expired`, …) in `code`: the payment was refused. Final, so never retried.
 */
export class PaymentError extends KomojuApiError {
  override name = "PaymentError";
}
/** 5xx: KOMOJU, its processor or a proxy failed. */
export class ServerError extends KomojuApiError {
  override name = "ServerError";
}

/** No response: DNS, refused or reset connection, TLS. */
export class KomojuConnectionError extends KomojuError {
  override name = "KomojuConnectionError";
}
/** No complete response within `timeoutMs`. */
export class KomojuTimeoutError extends KomojuError {
  override name = "KomojuTimeoutError";
}
/** The caller's AbortSignal fired. Never retried. */
export class KomojuAbortError extends KomojuError {
  override name = "KomojuAbortError";
}
/** A response arrived but is not what KOMOJU sends: HTML from a proxy, malformed or cut-short JSON. */
export class KomojuInvalidResponseError extends KomojuError {
  override name = "KomojuInvalidResponseError";
}
/** The client was asked to do something invalid; nothing was sent. */
export class KomojuInvalidRequestError extends KomojuError {
  override name = "KomojuInvalidRequestError";
}
/** A webhook's signature is missing, malformed, or does not match its body. */
export class KomojuSignatureError extends KomojuError {
  override name = "KomojuSignatureError";
}
/** A correctly signed webhook whose body is not a KOMOJU event. */
export class KomojuWebhookPayloadError extends KomojuError {
  override name = "KomojuWebhookPayloadError";
}

/** The class and KOMOJU's code for each documented status; the code stands in when a body carries none (a proxy's page, Prism's problem+json). */
const BY_STATUS: Record<number, [typeof KomojuApiError, string]> = {
  400: [BadRequestError, "bad_request"],
  401: [AuthenticationError, "unauthorized"],
  402: [PaymentError, "request_failed"],
  403: [PermissionDeniedError, "forbidden"],
  404: [NotFoundError, "not_found"],
  409: [IdempotencyConflictError, "conflict"],
  422: [UnprocessableEntityError, "unprocessable_entity"],
  429: [RateLimitError, "too_many_requests"],
  500: [ServerError, "internal_server_error"],
  502: [ServerError, "bad_gateway"],
  503: [ServerError, "service_unavailable"],
  504: [ServerError, "gateway_timeout"],
};

const string = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** KOMOJU's error envelope read from `text`, whatever the text holds; fields that are not strings count as absent. */
export function errorDetail(text: string): { code?: string | undefined; message?: string | undefined; param?: string | undefined } {
  try {
    const found = (JSON.parse(text) as { error?: Record<string, unknown> } | null)?.error;
    return { code: string(found?.code), message: string(found?.message), param: string(found?.param) };
  } catch {
    // Not JSON: an HTML page from a proxy, say.
    return {};
  }
}

/** The first of Prism's `sl-violations`, which says why the mock refused a request. */
function firstViolation(headers: Headers): string | undefined {
  try {
    const [first] = JSON.parse(headers.get("sl-violations")!) as { message?: unknown; location?: unknown }[];
    return string(first!.message) && `${Array.isArray(first!.location) ? `${first!.location.join(".")}: ` : ""}${first!.message}`;
  } catch {
    return undefined;
  }
}

/** The typed error for an error response whose body is `text`: KOMOJU's envelope, other JSON, or anything else. */
export function apiErrorFrom({ status, headers, text, idempotencyKey }: { status: number; headers: Headers; text: string; idempotencyKey?: string | undefined }): KomojuApiError {
  const detail = errorDetail(text);
  const [ByStatus, fallbackCode] = BY_STATUS[status] ?? [status >= 500 ? ServerError : KomojuApiError, `http_${status}`];
  const code = detail.code ?? fallbackCode;
  // A 502 naming anything but a gateway failure is the payment processor's answer.
  const Class = status === 502 && detail.code && !isRetryable({ kind: "status", status, code }) ? PaymentError : ByStatus;
  const violation = firstViolation(headers);
  const message = `${detail.message ?? `HTTP ${status} without KOMOJU's error envelope${text && `: ${excerpt(text)}`}`} (HTTP ${status} ${code})${violation ? `; mock: ${violation}` : ""}`;
  return new Class(message, code, { status, param: detail.param ?? null, headers, body: detail.code ? undefined : text, idempotencyKey });
}

/**
 * Any failure as a KomojuError: a non-KomojuError thrown while building a request means
 * the input was invalid. Its message is not repeated (a header value it may quote could
 * be a credential); it stays on `cause`.
 */
export function toKomojuError(cause: unknown): KomojuError {
  return cause instanceof KomojuError ? cause : new KomojuInvalidRequestError(`The request could not be built from its input (${(cause as Error)?.name ?? typeof cause}); see the cause.`, "invalid_request", { cause });
}
