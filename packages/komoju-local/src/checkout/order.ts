// What every checkout page shows of the session: the merchant, the total and the line
// items, and the way back to the shop (return_url with session_id, as KOMOJU appends it).
import type { SessionRecord } from "../simulation/types.js";
import { formatAmount, type Locale, words } from "./i18n.js";
import { escapeHtml } from "./layout.js";

/** The session's merchant (the spec's Merchant example), or the local KOMOJU's test shop. */
export const merchantName = (session: SessionRecord) => session.merchant?.name || "Local KOMOJU test shop";

export const totalOf = (locale: Locale, session: SessionRecord) =>
  formatAmount(locale, session.amount ?? 0, session.currency ?? "JPY");

interface LineItem {
  description?: string;
  amount?: number;
  quantity?: number;
}

function lineItems(locale: Locale, session: SessionRecord): string {
  const items = Array.isArray(session.line_items) ? (session.line_items as LineItem[]) : [];
  if (items.length === 0) return "";
  const t = words(locale);
  const rows = items.map((item) => {
    const quantity = item.quantity ?? 1;
    const price = formatAmount(locale, (item.amount ?? 0) * quantity, session.currency ?? "JPY");
    return `<li><span>${escapeHtml(item.description ?? "—")}<span class="qty">${t.quantity} ${quantity}</span></span><span class="price">${escapeHtml(price)}</span></li>`;
  });
  return `<h2>${t.orderSummary}</h2><ul class="items" data-testid="line-items">${rows.join("")}</ul>`;
}

export function summaryHtml(locale: Locale, session: SessionRecord): string {
  const t = words(locale);
  return `<aside class="summary" aria-label="${escapeHtml(t.orderSummary)}"><p class="total-label">${escapeHtml(merchantName(session))} · ${t.total}</p>
<p class="total" data-testid="amount">${escapeHtml(totalOf(locale, session))}</p>${lineItems(locale, session)}</aside>`;
}

/** Where the customer goes back to: return_url with session_id, or none. */
export function returnUrlOf(session: SessionRecord): string | null {
  if (!session.return_url) return null;
  try {
    const url = new URL(session.return_url);
    url.searchParams.set("session_id", session.id);
    return url.href;
  } catch {
    return null;
  }
}

export function returnLink(locale: Locale, session: SessionRecord, primary = true): string {
  const url = returnUrlOf(session);
  if (!url) return "";
  const label = words(locale).returnToShop(merchantName(session));
  return `<a class="${primary ? "primary" : "secondary"}" href="${escapeHtml(url)}" data-testid="return">${escapeHtml(label)}</a>`;
}
