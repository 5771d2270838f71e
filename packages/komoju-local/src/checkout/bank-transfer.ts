// Bank transfer: the customer gives a name in katakana, then gets the account to
// transfer to by the deadline (the payment's bank-transfer details). Authorized until
// the money arrives, which the page's button plays (as konbini's does).
import type { PaymentRecord, SessionRecord } from "../simulation/types.js";
import { formatAmount, formatDeadline, type Locale, words } from "./i18n.js";
import { type ContactValues, contactField, simulateButton } from "./konbini.js";
import { escapeHtml } from "./layout.js";
import { returnLink, totalOf } from "./order.js";

export function bankTransferForm(locale: Locale, session: SessionRecord, contact: ContactValues): string {
  const t = words(locale);
  return `<form method="post" action="/sessions/${escapeHtml(session.id)}/pay" data-testid="bank-transfer-form">
<input type="hidden" name="type" value="bank_transfer"><input type="hidden" name="lang" value="${locale}">
<div class="row">${contactField("bt-family", "family_name_kana", t.familyNameKana, "ヤマダ", "text", "family-name")}
${contactField("bt-given", "given_name_kana", t.givenNameKana, "タロウ", "text", "given-name")}</div>
${contactField("bt-email", "email", t.email, contact.email, "email", "email")}
${contactField("bt-phone", "phone", t.phone, contact.phone, "tel", "tel")}
<p class="note">${t.bankNote}</p>
<button class="primary" type="submit">${escapeHtml(`${t.pay} ${totalOf(locale, session)}`)}</button></form>`;
}

export function bankTransferInstructions(locale: Locale, session: SessionRecord, payment: PaymentRecord): string {
  const t = words(locale);
  const details = payment.payment_details as Record<string, string | null | undefined>;
  const rows: [string, string | null | undefined, string][] = [
    [t.bankName, details.bank_name, "bank-name"],
    [t.branch, details.account_branch_name, "branch"],
    [t.accountType, details.account_type, "account-type"],
    [t.accountNumber, details.account_number, "account-number"],
    [t.accountName, details.account_name, "account-name"],
    [t.amountDue, formatAmount(locale, payment.total ?? payment.amount, payment.currency), "amount-due"],
    [t.deadline, formatDeadline(locale, details.payment_deadline ?? payment.payment_deadline), "deadline"],
  ];
  const facts = rows
    .map(
      ([label, value, id]) => `<dt>${escapeHtml(label)}</dt><dd data-testid="${id}">${escapeHtml(value ?? "—")}</dd>`,
    )
    .join("");
  return `<h1 class="page">${t.bankTitle}</h1><p class="info" role="status">${escapeHtml(t.bankWaiting)}</p>
<dl class="facts">${facts}</dl>${returnLink(locale, session)}${simulateButton(locale, payment, t.simulateTransfer)}`;
}
