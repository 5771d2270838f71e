// Compile-time tests, checked by `tsc` in `npm test`: every `@ts-expect-error` below
// must be an error, or the build fails; every unmarked line must compile.
import { expectTypeOf } from "vitest";
import type { components } from "../../generated/komoju-api.js";

type SessionCreateRequest = components["schemas"]["SessionCreateRequest"];
type Session = components["schemas"]["Session"];
type Payment = components["schemas"]["Payment"];

const url = "https://example.com/done";

// Valid bodies in every mode compile.
export const valid: SessionCreateRequest[] = [
  { amount: 1000, currency: "JPY", return_url: url },
  { mode: "payment", amount: 1000, currency: "JPY", return_url: url, payment_data: { capture: "manual" } },
  { mode: "customer", amount: 0, currency: "JPY", return_url: url, customer_id: "cus_1" },
  {
    mode: "customer_payment",
    amount: 1000,
    currency: "USD",
    return_url: url,
    customer_id: "cus_1",
    payment_data: { name: "山田" },
  },
  {
    amount: 1000,
    currency: "JPY",
    return_url: url,
    line_items: [{ description: "抹茶", amount: 500 }],
    expires_in_seconds: 60,
  },
];

// Payment mode (explicit or by default) without amount or currency is refused.
// @ts-expect-error amount is required in payment mode
export const noAmount: SessionCreateRequest = { currency: "JPY", return_url: url };
// @ts-expect-error currency is required in payment mode
export const noCurrency: SessionCreateRequest = { mode: "payment", amount: 1000, return_url: url };
// @ts-expect-error amount is required in customer_payment mode too
export const noAmountCustomerPayment: SessionCreateRequest = {
  mode: "customer_payment",
  currency: "JPY",
  return_url: url,
};

// Unknown request fields are refused.
// @ts-expect-error `amonut` is not a field
export const typo: SessionCreateRequest = { amonut: 1000, amount: 1000, currency: "JPY", return_url: url };
export const nestedTypo: SessionCreateRequest = {
  amount: 1,
  currency: "JPY",
  return_url: url,
  // @ts-expect-error unknown field inside payment_data
  payment_data: { capture: "auto", foo: 1 },
};

// The mode rules reach the types.
// @ts-expect-error customer_id only in customer modes
export const customerIdInPaymentMode: SessionCreateRequest = {
  amount: 1,
  currency: "JPY",
  return_url: url,
  customer_id: "cus_1",
};
// A digit string is an amount too (the seed's Ruby sample and KOMOJU's mobile SDK send one).
export const stringAmount: SessionCreateRequest = { amount: "8888", currency: "JPY", return_url: url };
// @ts-expect-error unsupported locale
export const badLocale: SessionCreateRequest = { amount: 1, currency: "JPY", return_url: url, default_locale: "fr" };

// `payment` is present and may be null; `status` is a closed union.
expectTypeOf<Session["payment"]>().toEqualTypeOf<Payment | null>();
expectTypeOf<Session["status"]>().toEqualTypeOf<"pending" | "completed" | "cancelled">();
expectTypeOf<Session["resource"]>().toEqualTypeOf<"session">();

export function readPaymentAmount(session: Session): number {
  // @ts-expect-error payment may be null
  return session.payment.amount;
}

export function describeStatus(session: Session): string {
  switch (session.status) {
    case "pending":
      return "waiting";
    case "completed":
      return "done";
    case "cancelled":
      return "cancelled";
    default: {
      const unreachable: never = session.status;
      return unreachable;
    }
  }
}

// @ts-expect-error "expired" is not a session status
export const expired: Session["status"] = "expired";
