// PayPay and the other methods paid on another site: the checkout page sends the
// customer on, and the local KOMOJU stands in for that site with a page that approves
// (the session is paid, the customer returns) or declines (back to the checkout page).
import type { SessionRecord } from "../simulation/types.js";
import { type Locale, methodName, words } from "./i18n.js";
import { documentHtml, escapeHtml } from "./layout.js";
import { merchantName, summaryHtml, totalOf } from "./order.js";

/** Paid on the spot at the checkout page (card) or later at a store or bank; the rest redirect. */
export const ON_PAGE = ["credit_card", "konbini", "bank_transfer", "pay_easy"];
export const isRedirectMethod = (type: string) => !ON_PAGE.includes(type);

export function redirectForm(locale: Locale, session: SessionRecord, type: string): string {
  const t = words(locale);
  const name = methodName(locale, type);
  return `<form method="get" action="/sessions/${escapeHtml(session.id)}/offsite/${escapeHtml(type)}">
<input type="hidden" name="lang" value="${locale}"><p class="note">${escapeHtml(t.redirectNote(name))}</p>
<button class="primary" type="submit">${escapeHtml(t.continueTo(name))}</button></form>`;
}

export function offsitePage(locale: Locale, session: SessionRecord, type: string): string {
  const t = words(locale);
  const name = methodName(locale, type);
  const action = `/sessions/${escapeHtml(session.id)}/offsite/${escapeHtml(type)}`;
  const main = `<h1 class="page">${escapeHtml(t.offsiteTitle(name))}</h1>
<p>${escapeHtml(t.offsiteIntro(name, merchantName(session)))}</p>
<dl class="facts"><dt>${escapeHtml(merchantName(session))}</dt><dd data-testid="amount">${escapeHtml(totalOf(locale, session))}</dd></dl>
<form method="post" action="${action}"><input type="hidden" name="lang" value="${locale}">
<button class="primary" name="decision" value="approve" type="submit">${t.approve}</button>
<button class="secondary" name="decision" value="decline" type="submit">${t.decline}</button></form>`;
  return documentHtml({
    locale,
    title: t.offsiteTitle(name),
    merchant: name,
    switchHref: (l) => `/sessions/${session.id}/offsite/${type}?lang=${l}`,
    summary: summaryHtml(locale, session),
    main,
  });
}
