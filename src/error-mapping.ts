// From a response or a thrown value to the typed error; kept apart from errors.ts so the
// package can `export *` its error classes without these helpers.
import {
  AuthenticationError,
  BadRequestError,
  IdempotencyConflictError,
  KomojuApiError,
  KomojuError,
  KomojuInvalidRequestError,
  NotFoundError,
  PaymentError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnprocessableEntityError,
} from "./errors.js";
import { excerpt } from "./excerpt.js";
import { isRetryable } from "./retry.js";

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
export function errorDetail(text: string): {
  code?: string | undefined;
  message?: string | undefined;
  param?: string | undefined;
} {
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
    return (
      string(first!.message) &&
      `${Array.isArray(first!.location) ? `${first!.location.join(".")}: ` : ""}${first!.message}`
    );
  } catch {
    return undefined;
  }
}

/** The typed error for an error response whose body is `text`: KOMOJU's envelope, other JSON, or anything else. */
export function apiErrorFrom({
  status,
  headers,
  text,
  idempotencyKey,
}: {
  status: number;
  headers: Headers;
  text: string;
  idempotencyKey?: string | undefined;
}): KomojuApiError {
  const detail = errorDetail(text);
  const [ByStatus, fallbackCode] = BY_STATUS[status] ?? [
    status >= 500 ? ServerError : KomojuApiError,
    `http_${status}`,
  ];
  const code = detail.code ?? fallbackCode;
  // A 502 naming anything but a gateway failure is the payment processor's answer.
  const Class =
    status === 502 && detail.code && !isRetryable({ kind: "status", status, code }) ? PaymentError : ByStatus;
  const violation = firstViolation(headers);
  const message = `${detail.message ?? `HTTP ${status} without KOMOJU's error envelope${text && `: ${excerpt(text)}`}`} (HTTP ${status} ${code})${violation ? `; mock: ${violation}` : ""}`;
  return new Class(message, code, {
    status,
    param: detail.param ?? null,
    headers,
    body: detail.code ? undefined : text,
    idempotencyKey,
  });
}

/**
 * Any failure as a KomojuError: a non-KomojuError thrown while building a request means
 * the input was invalid. Its message is not repeated (a header value it may quote could
 * be a credential); it stays on `cause`.
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
