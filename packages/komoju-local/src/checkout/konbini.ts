// Konbini: the customer picks a store and gets a receipt number and confirmation code
// to pay in cash there by the deadline. The payment stays authorized until they do;
// the instructions page's button plays the customer at the till, through the local
// KOMOJU's own /_local/payments/{id}/capture (captured, and payment.captured is sent).
import type { PaymentRecord, SessionRecord } from "../simulation/types.js";
import { formatAmount, formatDeadline, type Locale, STORES, storeName, words } from "./i18n.js";
import { escapeHtml } from "./layout.js";
import { returnLink, totalOf } from "./order.js";

export interface ContactValues {
  email: string;
  phone: string;
}

export const contactField = (
  id: string,
  name: string,
  label: string,
  value: string,
  type: string,
  autocomplete: string,
) =>
  `<div class="field"><label for="${id}">${escapeHtml(label)}</label><input id="${id}" name="${name}" type="${type}" value="${escapeHtml(value)}" autocomplete="${autocomplete}"></div>`;

export function konbiniForm(
  locale: Locale,
  session: SessionRecord,
  contact: ContactValues,
  chosen = "seven-eleven",
): string {
  const t = words(locale);
  const stores = Object.keys(STORES).map(
    (store) =>
      `<label class="store" for="store-${store}"><input type="radio" id="store-${store}" name="store" value="${store}"${store === chosen ? " checked" : ""}>${escapeHtml(storeName(locale, store))}</label>`,
  );
  return `<form method="post" action="/sessions/${escapeHtml(session.id)}/pay" data-testid="konbini-form">
<input type="hidden" name="type" value="konbini"><input type="hidden" name="lang" value="${locale}">
<fieldset class="stores"><legend>${t.store}</legend>${stores.join("")}</fieldset>
${contactField("kb-email", "email", t.email, contact.email, "email", "email")}
${contactField("kb-phone", "phone", t.phone, contact.phone, "tel", "tel")}
<p class="note">${t.konbiniNote}</p>
<button class="primary" type="submit">${escapeHtml(`${t.pay} ${totalOf(locale, session)}`)}</button></form>`;
}

/** A same-origin form to the local control that moves the payment as the customer or the bank would. */
export function simulateButton(locale: Locale, payment: PaymentRecord, label: string): string {
  return `<form class="sim" method="post" action="/_local/payments/${escapeHtml(payment.id)}/capture?lang=${locale}">
<button class="secondary" type="submit">${escapeHtml(label)}</button><p class="note">${escapeHtml(words(locale).simulateNote)}</p></form>`;
}

export function konbiniInstructions(locale: Locale, session: SessionRecord, payment: PaymentRecord): string {
  const t = words(locale);
  const details = payment.payment_details as {
    store?: string;
    receipt?: string | null;
    confirmation_code?: string | null;
  };
  const store = storeName(locale, details.store ?? "");
  const rows: [string, string, string][] = [
    [t.store, store, "store"],
    [t.receipt, details.receipt ?? "—", "receipt"],
    [t.confirmationCode, details.confirmation_code ?? "—", "confirmation-code"],
    [t.amountDue, formatAmount(locale, payment.total ?? payment.amount, payment.currency), "amount-due"],
    [t.deadline, formatDeadline(locale, payment.payment_deadline), "deadline"],
  ];
  const facts = rows
    .map(
      ([label, value, id]) =>
        `<dt>${escapeHtml(label)}</dt><dd data-testid="${id}"${id === "receipt" || id === "confirmation-code" ? ' class="big"' : ""}>${escapeHtml(value)}</dd>`,
    )
    .join("");
  return `<h1 class="page">${t.konbiniTitle}</h1><p class="info" role="status">${escapeHtml(t.konbiniWaiting(store))}</p>
<dl class="facts">${facts}</dl>${returnLink(locale, session)}${simulateButton(locale, payment, t.simulateStore)}`;
}
