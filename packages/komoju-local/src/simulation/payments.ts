// Payments: made by a session's pay or directly, then captured, cancelled, refunded,
// updated; and the local-only transitions of what the customer or the bank does.
import { cardOutcome } from "../cards.js";
import { newId, paymentTime } from "../ids.js";
import { findExample, pick, template } from "../spec.js";
import { getCustomer } from "./customers.js";
import { CASH_TYPES, cardDetails, cardNumber, detailsOf, offlineStatus, paymentDetailsFor } from "./details.js";
import { type Handlers, LocalKomojuError, notFound, page, type State, withinTimes } from "./store.js";
import type { Body, DetailsInput, Order, PaymentDetails, PaymentRecord } from "./types.js";

const DAY = 86_400_000;

export function newPayment(store: State, order: Order, status: string, paymentDetails: PaymentDetails): PaymentRecord {
  const now = store.now();
  const offline = status === "authorized" && paymentDetails.type !== "credit_card";
  const payment: PaymentRecord = {
    ...template<PaymentRecord>("Payment"),
    id: store.freshId(store.payments),
    status,
    amount: order.amount ?? 0,
    tax: 0,
    total: order.amount ?? 0,
    payment_method_fee: 0,
    amount_refunded: 0,
    currency: order.currency ?? "JPY",
    payment_details: paymentDetails,
    payment_deadline: offline ? paymentTime(now + 3 * DAY) : null,
    captured_at: status === "captured" ? paymentTime(now) : null,
    created_at: paymentTime(now),
    customer: null,
    description: null,
    external_order_num: order.payment_data?.external_order_num ?? null,
    metadata: order.metadata ?? {},
    locale: order.default_locale,
    session: order.id,
    refunds: [],
    refund_requests: [],
  };
  store.addPayment(payment);
  return payment;
}

/**
 * A refused card: a failed payment and its event, and KOMOJU's answer, a 502 with the
 * processor's code (a session stays pending, so the customer can try again).
 */
export function decline(store: State, order: Order, details: DetailsInput, code: string, message: string): never {
  store.record("payment.failed", newPayment(store, order, "failed", cardDetails(details)), message);
  throw new LocalKomojuError(502, code, message, null, true);
}

/** The event a new payment raises. */
export function recordNew(store: State, payment: PaymentRecord): void {
  store.record(payment.status === "captured" ? "payment.captured" : "payment.authorized", payment);
}

/**
 * A saved customer's card, checked before anything is stored: a customer without one
 * used to fall through to the offline branch and be stored as a captured payment with
 * its event, which Prism then refused as an answer, so each retry of the client left
 * one more captured payment and webhook behind.
 */
function savedCard(store: State, id: string): DetailsInput {
  const { source } = getCustomer(store, id);
  if (!source)
    throw new LocalKomojuError(
      422,
      "invalid_parameter",
      "This customer has no saved card to charge: save one with payment_details first.",
      "customer",
    );
  return { ...source, type: "credit_card", token: "saved" };
}

/**
 * Create a payment directly, with payment_details or a saved customer. 3-D Secure
 * challenge cards pass here: direct API payments authenticate through secure tokens,
 * which the local KOMOJU does not simulate.
 */
export function createPayment(store: State, body: Body): PaymentRecord {
  const order: Order = {
    id: null,
    amount: Number(body.amount),
    currency: body.currency,
    metadata: body.metadata ?? {},
    payment_data: { external_order_num: body.external_order_num ?? null },
    default_locale: body.locale ?? "ja",
  };
  // Create takes capture as a boolean (Pay takes "auto"/"manual").
  const capture = body.capture === false ? "manual" : "auto";
  const details: DetailsInput = body.customer ? savedCard(store, body.customer) : detailsOf(body.payment_details);
  let payment: PaymentRecord;
  if (details.type === "credit_card") {
    const declined = cardOutcome(cardNumber(details)).decline;
    if (declined) decline(store, order, details, ...declined);
    const reported =
      details.token === "saved" ? pick<PaymentDetails>("CreditCardPaymentDetails", details) : cardDetails(details);
    payment = newPayment(store, order, capture === "manual" ? "authorized" : "captured", reported);
  } else {
    payment = newPayment(store, order, offlineStatus(details.type), paymentDetailsFor(details, store.now()));
  }
  if (body.customer) payment.customer = body.customer;
  if (body.description !== undefined) payment.description = body.description;
  recordNew(store, payment);
  return payment;
}

export function getPayment(store: State, id: string): PaymentRecord {
  const payment = store.payments.get(id);
  if (!payment) throw notFound();
  return payment;
}

function listPayments(store: State, query: URLSearchParams) {
  const statuses = query.get("status")?.split(",");
  const currency = query.get("currency");
  const orderNum = query.get("external_order_num");
  const matches = [...store.payments.values()]
    .reverse()
    .filter(
      (p) =>
        (!statuses || statuses.includes(p.status)) &&
        (!currency || p.currency === currency) &&
        (!orderNum || p.external_order_num === orderNum) &&
        withinTimes(p.created_at, query),
    );
  return page(matches, query);
}

function updatePayment(store: State, id: string, body: Body): PaymentRecord {
  const payment = getPayment(store, id);
  if (body.description !== undefined) payment.description = body.description;
  if (body.metadata !== undefined) payment.metadata = body.metadata;
  store.record("payment.updated", payment);
  return payment;
}

/** Capture a card authorization, all of it or `amount` of it. */
function capturePayment(store: State, id: string, body: Body): PaymentRecord {
  const payment = getPayment(store, id);
  if (payment.status !== "authorized" || payment.payment_details?.type !== "credit_card") {
    throw new LocalKomojuError(
      422,
      "not_capturable",
      `This payment is ${payment.status} (${payment.payment_details?.type}); only an authorized card payment can be captured.`,
    );
  }
  if (body.amount !== undefined) {
    const amount = Number(body.amount);
    if (amount > payment.amount)
      throw new LocalKomojuError(
        422,
        "invalid_parameter",
        `amount (${amount}) is more than the authorized ${payment.amount}.`,
        "amount",
      );
    Object.assign(payment, { amount, total: amount + (payment.tax ?? 0) + (payment.payment_method_fee ?? 0) });
  }
  Object.assign(payment, { status: "captured", captured_at: paymentTime(store.now()) });
  store.record("payment.captured", payment);
  return payment;
}

function cancelPayment(store: State, id: string): PaymentRecord {
  const payment = getPayment(store, id);
  if (!["authorized", "pending"].includes(payment.status)) {
    throw new LocalKomojuError(
      422,
      "not_cancellable",
      `This payment is ${payment.status}; only a pending or authorized payment can be cancelled.`,
    );
  }
  payment.status = "cancelled";
  store.record("payment.cancelled", payment);
  return payment;
}

/**
 * Refund all that remains, or `amount` of it; the payment is `refunded` once nothing
 * remains. Konbini, bank transfer and Pay-easy payments need a refund request instead
 * (refund-requests.ts): KOMOJU's docs say so, its answer to a direct refund is not
 * published, and its error codes have `not_refundable` (openapi/descriptions/errata.md).
 */
function refundPayment(store: State, id: string, body: Body): PaymentRecord {
  const payment = getPayment(store, id);
  const type = payment.payment_details?.type;
  if (CASH_TYPES.includes(type ?? ""))
    throw new LocalKomojuError(
      422,
      "not_refundable",
      `A ${type} payment cannot be refunded directly: ask for a refund request (POST /api/v1/payments/${payment.id}/refund_request) with the customer's bank account.`,
    );
  if (payment.status !== "captured")
    throw new LocalKomojuError(
      422,
      "not_refundable",
      `This payment is ${payment.status}; only a captured payment can be refunded.`,
    );
  const remaining = payment.amount - (payment.amount_refunded ?? 0);
  const amount = body.amount === undefined ? remaining : Number(body.amount);
  if (amount <= 0 || amount > remaining)
    throw new LocalKomojuError(
      422,
      "invalid_parameter",
      `amount (${amount}) must be between 1 and the ${remaining} not yet refunded.`,
      "amount",
    );
  const refund = {
    ...findExample((o) => o.resource === "refund"),
    id: newId(),
    amount,
    currency: payment.currency,
    payment: payment.id,
    description: body.description ?? null,
    created_at: paymentTime(store.now()),
  };
  payment.refunds = [...(payment.refunds ?? []), refund];
  payment.amount_refunded = (payment.amount_refunded ?? 0) + amount;
  if (payment.amount_refunded === payment.amount) payment.status = "refunded";
  store.record("payment.refund.created", payment);
  if (payment.status === "refunded") store.record("payment.refunded", payment);
  return payment;
}

const TRANSITIONS: Record<string, { from: string[]; code: string }> = {
  capture: { from: ["authorized"], code: "not_capturable" },
  expire: { from: ["authorized", "pending"], code: "not_expirable" },
  fail: { from: ["authorized", "pending"], code: "not_failable" },
};

/** Local-only transitions (what the customer or the bank does, on demand). */
export function transition(store: State, paymentId: string, action: string): PaymentRecord {
  const payment = getPayment(store, paymentId);
  const allowed = Object.hasOwn(TRANSITIONS, action) ? TRANSITIONS[action] : undefined;
  if (!allowed) throw notFound();
  if (!allowed.from.includes(payment.status))
    throw new LocalKomojuError(
      422,
      allowed.code,
      `This payment is ${payment.status}; ${action} needs ${allowed.from.join(" or ")}.`,
    );
  if (action === "capture") Object.assign(payment, { status: "captured", captured_at: paymentTime(store.now()) });
  if (action === "expire") payment.status = "expired";
  if (action === "fail") payment.status = "failed";
  store.record(`payment.${payment.status}`, payment);
  return payment;
}

export const paymentHandlers: Handlers = {
  createPayment: { run: (store, { body }) => createPayment(store, body) },
  listPayments: { run: (store, { query }) => listPayments(store, query) },
  getPayment: { run: (store, { params }) => getPayment(store, params.id!) },
  updatePayment: { run: (store, { params, body }) => updatePayment(store, params.id!, body) },
  capturePayment: { run: (store, { params, body }) => capturePayment(store, params.id!, body) },
  cancelPayment: { run: (store, { params }) => cancelPayment(store, params.id!) },
  refundPayment: { run: (store, { params, body }) => refundPayment(store, params.id!, body) },
};
