export type { components, operations, paths, webhooks } from "../generated/komoju-api.js";
export type * from "../generated/resource-types.js";
export type * from "../generated/schemas.js";
export { createKomojuClient, type KomojuClient } from "./client.js";
export {
  KomojuAbortError,
  KomojuApiError,
  KomojuAuthenticationError,
  KomojuBadRequestError,
  type KomojuClientErrorCode,
  KomojuConnectionError,
  KomojuError,
  type KomojuErrorOptions,
  KomojuIdempotencyConflictError,
  KomojuInvalidRequestError,
  KomojuInvalidResponseError,
  KomojuNotFoundError,
  KomojuPaymentError,
  KomojuPermissionDeniedError,
  KomojuRateLimitError,
  KomojuServerError,
  KomojuSignatureError,
  KomojuTimeoutError,
  KomojuUnprocessableEntityError,
  KomojuWebhookPayloadError,
} from "./errors.js";
export { toRackForm } from "./form.js";
export {
  DEFAULT_API_VERSION,
  type KomojuClientOptions,
  type KomojuHooks,
  type RequestEvent,
  type RequestOptions,
  type ResponseEvent,
} from "./options.js";
export type { PageRequest } from "./pagination.js";
export type { RawClient, RawRequestOptions } from "./raw-client.js";
export {
  createReplayGuard,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayKey,
  type ReplayStore,
  type SharedReplayGuard,
} from "./replay-guard.js";
export type { DatesAllowed } from "./request-url.js";
export {
  DEFAULT_MAX_EVENT_AGE_MS,
  isPaymentEvent,
  type RawBody,
  signWebhookPayload,
  type VerifyWebhookInput,
  verifyWebhook,
} from "./webhooks.js";
