export type { components, operations, paths, webhooks } from "../generated/komoju-api.js";
export type * from "../generated/resources.js";
export type * from "../generated/schemas.js";
export { createKomojuClient, type KomojuClient, type KomojuClientOptions } from "./client.js";
export * from "./errors.js";
export { toRackForm } from "./form.js";
export { DEFAULT_API_VERSION } from "./options.js";
export type { PageRequest } from "./pagination.js";
export type { DatesAllowed } from "./query.js";
export type { RawClient, RawRequestOptions } from "./raw.js";
export type { KomojuHooks, RequestEvent, RequestOptions, ResponseEvent } from "./transport.js";
export {
  createReplayGuard,
  isPaymentEvent,
  type RawBody,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayKey,
  type ReplayStore,
  type SharedReplayGuard,
  signWebhookPayload,
  type VerifyWebhookInput,
  verifyWebhook,
} from "./webhooks.js";
