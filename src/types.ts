import type { components } from "../generated/komoju-api.js";

type Schemas = components["schemas"];

// Friendly names for the spec's schemas; each is exactly the generated type.
export type Session = Schemas["Session"];
export type SessionStatus = Schemas["SessionStatus"];
export type SessionMode = Schemas["SessionMode"];
export type SessionCreateRequest = Schemas["SessionCreateRequest"];
export type SessionPayRequest = Schemas["SessionPayRequest"];
export type SessionPayResponse = Schemas["SessionPayResponse"];
export type Payment = Schemas["Payment"];
export type PaymentStatus = Schemas["PaymentStatus"];
export type PaymentDetails = Schemas["PaymentDetails"];
export type PaymentMethod = Schemas["PaymentMethod"];
export type PaymentType = Schemas["PaymentType"];
export type PaymentData = Schemas["PaymentData"];
export type LineItem = Schemas["LineItem"];
export type Currency = Schemas["Currency"];
export type Locale = Schemas["Locale"];
export type Metadata = Schemas["Metadata"];
export type Address = Schemas["Address"];
export type Event = Schemas["Event"];
export type PaymentEvent = Schemas["PaymentEvent"];
export type OtherEvent = Schemas["OtherEvent"];
export type PaymentEventType = Schemas["PaymentEventType"];
/** The spec's `Error` schema (KOMOJU's error envelope), renamed so it does not shadow the global `Error`. */
export type ErrorBody = Schemas["Error"];
export type ErrorDetail = Schemas["ErrorDetail"];
