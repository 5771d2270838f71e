// Every error this package throws, and the one mapping from an answer to its class.
import { isRetryable } from "./retry.js";

/** The codes this package raises itself, beside the codes KOMOJU sends (`not_found`, `missing_parameter`, …). */
export type KomojuClientErrorCode =
  // Invalid input: nothing was sent.
  | "invalid_client_options"
  | "invalid_request_options"
  | "invalid_request"
  | "invalid_method"
  | "invalid_path_parameter"
  | "invalid_query"
  | "invalid_body"
  | "invalid_form_body"
  | "invalid_idempotency_key"
  | "url_outside_base_url"
  | "no_crypto"
  // The call did not complete.
  | "aborted"
  | "timeout"
  | "connection_error"
  // A response arrived that is not what KOMOJU sends.
  | "invalid_status"
  | "response_too_large"
  | "invalid_json"
  | "unexpected_body"
  | "truncated_response"
  | "invalid_list"
  // Webhooks.
  | "invalid_webhook_secret"
  | "invalid_webhook_input"
  | "invalid_raw_body"
  | "missing_signature"
  | "malformed_signature"
  | "signature_mismatch"
  | "invalid_webhook_payload"
  | "stale_event"
  | "invalid_replay_guard_option"
  | "invalid_replay_store"
  | "missing_event_id";

export interface KomojuErrorOptions {
  status?: number | undefined;
  param?: string | null | undefined;
  headers?: Headers | undefined;
  body?: string | undefined;
  idempotencyKey?: string | undefined;
  cause?: unknown;
}

/** At most this much of an unexpected body is kept on an error, so logs stay readable. */
const BODY_EXCERPT_LENGTH = 500;

function excerpt(body: string): string {
  return body.length > BODY_EXCERPT_LENGTH
    ? `${body.slice(0, BODY_EXCERPT_LENGTH)}… (${body.length} characters)`
    : body;
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
  /** KOMOJU's machine-readable code (`not_found`, …), or this package's own (a `KomojuClientErrorCode`). */
  declare readonly code: KomojuClientErrorCode | (string & {});
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
    code: KomojuClientErrorCode | (string & {}),
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

/** An error this package raises itself; its `code` is one of `KomojuClientErrorCode`. */
class KomojuClientError extends KomojuError {
  declare readonly code: KomojuClientErrorCode;
  constructor(message: string, code: KomojuClientErrorCode, options?: KomojuErrorOptions) {
    super(message, code, options);
  }
}

/** KOMOJU (or something in front of it) answered with an error status. */
export class KomojuApiError extends KomojuError {
  override name = "KomojuApiError";
  declare readonly status: number;
}
/** 400 `bad_request`: the request could not be parsed. */
export class KomojuBadRequestError extends KomojuApiError {
  override name = "KomojuBadRequestError";
}
/** 401: the secret key is missing or wrong. */
export class KomojuAuthenticationError extends KomojuApiError {
  override name = "KomojuAuthenticationError";
}
/** 403: the key may not do this. */
export class KomojuPermissionDeniedError extends KomojuApiError {
  override name = "KomojuPermissionDeniedError";
}
/** 404: no such resource. */
export class KomojuNotFoundError extends KomojuApiError {
  override name = "KomojuNotFoundError";
}
/** 409: a request with the same idempotency key is still in flight. */
export class KomojuIdempotencyConflictError extends KomojuApiError {
  override name = "KomojuIdempotencyConflictError";
}
/** 422: a parameter is missing or invalid, or the resource's state forbids this. */
export class KomojuUnprocessableEntityError extends KomojuApiError {
  override name = "KomojuUnprocessableEntityError";
}
/** 429: too many requests. */
export class KomojuRateLimitError extends KomojuApiError {
  override name = "KomojuRateLimitError";
}
/**
 * 402, or a 502 naming the processor's answer (`card_declined`, `insufficient_funds`,
 * `card_expired`, …) in `code`: the payment was refused. Final, so never retried.
 */
export class KomojuPaymentError extends KomojuApiError {
  override name = "KomojuPaymentError";
}
/** 5xx: KOMOJU, its processor or a proxy failed. */
export class KomojuServerError extends KomojuApiError {
  override name = "KomojuServerError";
}

/** No response: DNS, refused or reset connection, TLS. */
export class KomojuConnectionError extends KomojuClientError {
  override name = "KomojuConnectionError";
}
/** No complete response within `timeoutMs`. */
export class KomojuTimeoutError extends KomojuClientError {
  override name = "KomojuTimeoutError";
}
/** The caller's AbortSignal fired. Never retried. */
export class KomojuAbortError extends KomojuClientError {
  override name = "KomojuAbortError";
}
/** A response arrived but is not what KOMOJU sends: HTML from a proxy, malformed or cut-short JSON. */
export class KomojuInvalidResponseError extends KomojuClientError {
  override name = "KomojuInvalidResponseError";
}
/** The client was asked to do something invalid; nothing was sent. */
export class KomojuInvalidRequestError extends KomojuClientError {
  override name = "KomojuInvalidRequestError";
}
/** A webhook's signature is missing, malformed, or does not match its body. */
export class KomojuSignatureError extends KomojuClientError {
  override name = "KomojuSignatureError";
}
/** A correctly signed webhook whose body is not a KOMOJU event, or an event too old to be a delivery. */
export class KomojuWebhookPayloadError extends KomojuClientError {
  override name = "KomojuWebhookPayloadError";
}

/** The class and KOMOJU's code for each documented status; the code stands in when a body carries none (a proxy's page). */
const BY_STATUS: Record<number, [typeof KomojuApiError, string]> = {
  400: [KomojuBadRequestError, "bad_request"],
  401: [KomojuAuthenticationError, "unauthorized"],
  402: [KomojuPaymentError, "request_failed"],
  403: [KomojuPermissionDeniedError, "forbidden"],
  404: [KomojuNotFoundError, "not_found"],
  409: [KomojuIdempotencyConflictError, "conflict"],
  422: [KomojuUnprocessableEntityError, "unprocessable_entity"],
  429: [KomojuRateLimitError, "too_many_requests"],
  500: [KomojuServerError, "internal_server_error"],
  502: [KomojuServerError, "bad_gateway"],
  503: [KomojuServerError, "service_unavailable"],
  504: [KomojuServerError, "gateway_timeout"],
};

const string = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** KOMOJU's error envelope in a parsed body, whatever the body holds; fields that are not strings count as absent. */
export function errorDetail(data: unknown): {
  code?: string | undefined;
  message?: string | undefined;
  param?: string | undefined;
} {
  const found = (data as { error?: Record<string, unknown> } | null | undefined)?.error;
  return { code: string(found?.code), message: string(found?.message), param: string(found?.param) };
}

/** What an error answer is read from: its status, headers, text, and the text parsed (undefined when not JSON). */
interface ErrorAnswer {
  status: number;
  headers: Headers;
  text: string;
  data: unknown;
  idempotencyKey?: string | undefined;
}

/** The typed error for an error answer: KOMOJU's envelope, other JSON, or anything else. */
export function apiErrorFrom({ status, headers, text, data, idempotencyKey }: ErrorAnswer): KomojuApiError {
  const detail = errorDetail(data);
  const [ByStatus, fallbackCode] = BY_STATUS[status] ?? [
    status >= 500 ? KomojuServerError : KomojuApiError,
    `http_${status}`,
  ];
  const code = detail.code ?? fallbackCode;
  // A 502 naming anything but a gateway failure is the payment processor's answer.
  const Class =
    status === 502 && detail.code && !isRetryable({ kind: "status", status, code }) ? KomojuPaymentError : ByStatus;
  const message = `${detail.message ?? `HTTP ${status} without KOMOJU's error envelope${text && `: ${excerpt(text)}`}`} (HTTP ${status} ${code})`;
  return new Class(message, code, {
    status,
    param: detail.param ?? null,
    headers,
    body: detail.code ? undefined : text,
    idempotencyKey,
  });
}

/**
 * Any failure while building a request as a KomojuError: a non-KomojuError thrown then
 * means the input was invalid. Its message is not repeated (a header value it may
 * quote could be a credential); it stays on `cause`.
 */
export function toKomojuError(cause: unknown): KomojuError {
  return cause instanceof KomojuError
    ? cause
    : new KomojuInvalidRequestError(
        `The request could not be built from its input (${(cause as Error)?.name ?? typeof cause}); see the cause.`,
        "invalid_request",
        { cause },
      );
}
