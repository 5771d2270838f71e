import { excerpt } from "./excerpt.js";

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

  constructor(
    message: string,
    code: string,
    { status, param = null, headers, body, idempotencyKey, cause }: KomojuErrorOptions = {},
  ) {
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
