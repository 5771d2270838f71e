// Refund requests: how a konbini, bank transfer or Pay-easy payment is refunded, as it
// has no card to send money back to. KOMOJU's staff transfer the money by hand later, so
// a request is stored `pending` in the payment's `refund_requests` and moves no money;
// the answer has no body (a 204, which the spec allows beside a 200).
import { newId, paymentTime } from "../ids.js";
import { pick } from "../spec.js";
import { CASH_TYPES } from "./details.js";
import { getPayment } from "./payments.js";
import { type Handlers, LocalKomojuError, type State } from "./store.js";
import type { Body, PaymentRecord } from "./types.js";

/** What Create a refund request sends beside `amount` (the spec's RefundRequestCreateRequest). */
interface RefundRequestBody extends Body {
  customer_name?: string;
  bank_name?: string;
  bank_code?: string;
  branch_name?: string;
  branch_number?: string;
  account_number?: string | number;
  platform_details?: Record<string, unknown>;
}

/** The payment, if it is one a refund request is for: paid in cash or by transfer, and paid. */
function refundable(state: State, id: string, amount: number): PaymentRecord {
  const payment = getPayment(state, id);
  const type = payment.payment_details?.type ?? "";
  if (!CASH_TYPES.includes(type))
    throw new LocalKomojuError(
      422,
      "not_refundable",
      `A ${type} payment is refunded directly (POST /api/v1/payments/${id}/refund); refund requests are for konbini, bank transfer and Pay-easy.`,
    );
  if (payment.status !== "captured")
    throw new LocalKomojuError(
      422,
      "not_refundable",
      `This payment is ${payment.status}; only a paid (captured) payment can be refunded.`,
    );
  const remaining = payment.amount - (payment.amount_refunded ?? 0);
  if (amount <= 0 || amount > remaining)
    throw new LocalKomojuError(
      422,
      "invalid_parameter",
      `amount (${amount}) must be between 1 and the ${remaining} not yet refunded.`,
      "amount",
    );
  return payment;
}

/**
 * Stores the request on the payment, `pending`, in the spec's RefundRequest shape, and
 * records `refund_request.updated` with it: the one refund-request event KOMOJU names
 * (on its Platform Model webhooks page). No money moves until KOMOJU's staff act.
 */
function createRefundRequest(state: State, id: string, body: RefundRequestBody): Record<string, never> {
  const payment = refundable(state, id, Number(body.amount));
  const request = {
    id: newId(),
    payment: payment.id,
    customer_name: body.customer_name,
    bank_name: body.bank_name,
    bank_code: body.bank_code ?? null,
    branch_name: body.branch_name ?? null,
    branch_number: body.branch_number,
    // Seven digits: an integer sent loses its leading zeros, which are put back.
    account_number: String(body.account_number).padStart(7, "0"),
    description: body.description ?? null,
    status: "pending",
    created_at: paymentTime(state.now()),
    ...pick("RefundRequest", { platform_details: body.platform_details }),
  };
  payment.refund_requests = [...(payment.refund_requests ?? []), request];
  state.record("refund_request.updated", request);
  return {};
}

export const refundRequestHandlers: Handlers = {
  createRefundRequest: {
    noContent: true,
    run: (state, { params, body }) => createRefundRequest(state, params.id!, body),
  },
};
