// Compile-time tests, checked by `tsc`: checking `event.type` narrows `event.data` with no
// helper, for the events a webhook or the Events API returns.

import type { Event, verifyWebhook } from "komoju-ts";
import { expectTypeOf } from "vitest";
import type { components } from "../../generated/komoju-api.js";

type Schemas = components["schemas"];
type Payment = Schemas["Payment"];
type Customer = Schemas["Customer"];

// verifyWebhook and events.retrieve hand out this union.
expectTypeOf<Awaited<ReturnType<typeof verifyWebhook>>>().toEqualTypeOf<Event>();
expectTypeOf<Event>().toEqualTypeOf<Schemas["Event"]>();

export function onPaymentRefunded(event: Event): number {
  if (event.type === "payment.refunded") {
    expectTypeOf(event.data).toEqualTypeOf<Payment>();
    return event.data.amount_refunded ?? 0;
  }
  // @ts-expect-error outside the check, data may be a customer, a subscription, …
  return event.data.amount_refunded;
}

export function route(event: Event): string {
  switch (event.type) {
    case "payment.captured":
    case "payment.authorized":
    case "payment.failed":
      expectTypeOf(event.data).toEqualTypeOf<Payment>();
      return event.data.status;
    case "submerchant.payment.captured":
    case "payment.marked.as.fraud":
      expectTypeOf(event.data).toEqualTypeOf<Payment>();
      return event.data.id;
    case "customer.created":
    case "customer.deleted":
      expectTypeOf(event.data).toEqualTypeOf<Customer>();
      return event.data.email ?? "";
    case "ping":
      expectTypeOf(event.data).toEqualTypeOf<Record<string, unknown>>();
      return "pong";
    case "subscription.captured":
      // Subscriptions are typed loosely until the spec covers them.
      expectTypeOf(event.data).toEqualTypeOf<Record<string, unknown>>();
      return event.type;
    default:
      return event.type;
  }
}

// Every documented type is in the union; a misspelt one is not.
expectTypeOf<"payment.refund.created">().toMatchTypeOf<Event["type"]>();
expectTypeOf<"settlement.created">().toMatchTypeOf<Event["type"]>();
expectTypeOf<"submerchant.refund_request.updated">().toMatchTypeOf<Event["type"]>();
export function misspelt(event: Event): boolean {
  // @ts-expect-error "payment.refund" is not an event type
  return event.type === "payment.refund";
}

// A delivery of a type KOMOJU adds later is an OtherEvent: same envelope, loose data.
expectTypeOf<Schemas["OtherEvent"]["type"]>().toEqualTypeOf<string>();
expectTypeOf<Schemas["OtherEvent"]["data"]>().toEqualTypeOf<Record<string, unknown>>();
