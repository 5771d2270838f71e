// Payment details as KOMOJU reports them, from what a request sent: a card masked to its
// brand and last four digits, a konbini or bank transfer filled from the spec's example.
import { cardBrand } from "../cards.js";
import { paymentTime } from "../ids.js";
import { pick, template } from "../spec.js";
import type { DetailsInput, PaymentDetails } from "./types.js";

const DAY = 86_400_000;

/** A token (a string) is a card payment by token. */
export function detailsOf(sent: string | DetailsInput | undefined): DetailsInput {
  return typeof sent === "string" ? { type: "credit_card", token: sent } : (sent ?? {});
}

/** The digits of a card number, which may arrive grouped with spaces as typed. */
export function cardNumber(details: DetailsInput): string {
  return String(details.number ?? "").replace(/\s/g, "");
}

/** A card as KOMOJU reports it: brand and last four digits, never the number. */
export function cardDetails(details: DetailsInput): PaymentDetails {
  const base = template<PaymentDetails>("CreditCardPaymentDetails");
  if (details.token || !details.number) return { ...base, ...(details.email ? { email: details.email } : {}) };
  const number = cardNumber(details);
  const year = Number(details.year);
  return {
    ...base,
    brand: cardBrand(number),
    last_four_digits: number.slice(-4),
    // The spec takes month and year as strings too (KOMOJU's hosted fields send them so).
    month: Number(details.month),
    year: year < 100 ? 2000 + year : year,
    email: details.email ?? null,
    name: details.name ?? null,
  };
}

/** A customer's saved card: the masked card of a payment, in the spec's CustomerSource shape. */
export function customerSource(sent: string | DetailsInput): Record<string, unknown> {
  return pick("CustomerSource", cardDetails(typeof sent === "string" ? { token: sent } : sent));
}

/** Paid in cash or by the customer's own transfer: no card to send money back to, so refunded by request. */
export const CASH_TYPES = ["konbini", "bank_transfer", "pay_easy"];

/** Konbini, bank transfer and Pay-easy are paid later: authorized until the customer pays. */
export function offlineStatus(type: string | undefined): "authorized" | "captured" {
  return CASH_TYPES.includes(type ?? "") ? "authorized" : "captured";
}

const DETAIL_SCHEMAS: Record<string, string> = {
  konbini: "KonbiniPaymentDetails",
  bank_transfer: "BankTransferPaymentDetails",
  pay_easy: "PayEasyPaymentDetails",
};

/** What a konbini, bank transfer, Pay-easy or other payment reports: the spec's example with the customer's data. */
export function paymentDetailsFor(details: DetailsInput, now: number): PaymentDetails {
  const type = details.type ?? "";
  const schema = Object.hasOwn(DETAIL_SCHEMAS, type) ? DETAIL_SCHEMAS[type] : undefined;
  if (!schema) return { type };
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
  const filled: PaymentDetails = { ...template<PaymentDetails>(schema), ...pick(schema, details) };
  if (type === "konbini") Object.assign(filled, { confirmation_code: digits(10), receipt: digits(11) });
  // The example's instructions page is on komoju.com; there is none locally.
  delete filled.instructions_url;
  if (type === "bank_transfer") filled.payment_deadline = paymentTime(now + 3 * DAY);
  return filled;
}
