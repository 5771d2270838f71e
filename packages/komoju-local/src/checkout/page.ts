// The page at session_url: while the session is pending, the order beside the session's
// payment methods (one open at a time, by CSS, so it works without JavaScript); once it
// is completed, what the customer has to know: paid, or how to pay at the store or bank.
import type { PaymentRecord, SessionRecord } from "../simulation/types.js";
import { bankTransferForm, bankTransferInstructions } from "./bank-transfer.js";
import { brandLogos, type CardErrors, type CardValues, cardForm, cardScript, defaultCard } from "./card.js";
import { formatAmount, type Locale, methodName, words } from "./i18n.js";
import { konbiniForm, konbiniInstructions } from "./konbini.js";
import { alertHtml, documentHtml, escapeHtml, pathWith } from "./layout.js";
import { merchantName, returnLink, summaryHtml } from "./order.js";
import { isRedirectMethod, redirectForm } from "./redirect.js";

export interface CheckoutView {
  locale: Locale;
  now: Date;
  /** Why the last attempt failed (a declined card, a declined redirect). */
  error?: string | undefined;
  /** The method to open; the session's first otherwise. */
  method?: string | null | undefined;
  card?: CardValues | undefined;
  cardErrors?: CardErrors | undefined;
}

function methodPanel(session: SessionRecord, view: CheckoutView, type: string, open: boolean): string {
  const { locale } = view;
  const contact = { email: session.email ?? "customer@example.com", phone: "09012345678" };
  let form: string;
  if (type === "credit_card")
    form = cardForm(locale, session, view.card ?? defaultCard(view.now), view.cardErrors ?? {});
  else if (type === "konbini") form = konbiniForm(locale, session, contact);
  else if (type === "bank_transfer") form = bankTransferForm(locale, session, contact);
  else if (isRedirectMethod(type)) form = redirectForm(locale, session, type);
  else
    form = `<p class="note">${escapeHtml(`${methodName(locale, type)}: not payable on the local checkout page.`)}</p>`;
  const id = `m-${escapeHtml(type)}`;
  const logos = type === "credit_card" ? `<span class="logos">${brandLogos()}</span>` : "";
  return `<section class="method" data-method="${escapeHtml(type)}"><input type="radio" name="method" id="${id}" value="${escapeHtml(type)}"${open ? " checked" : ""}>
<label for="${id}">${escapeHtml(methodName(locale, type))}${logos}</label><div class="panel">${form}</div></section>`;
}

export function checkoutPage(session: SessionRecord, view: CheckoutView): string {
  const t = words(view.locale);
  const types = session.payment_methods.map((method) => method.type);
  const open = view.method && types.includes(view.method) ? view.method : types[0];
  const panels = types.map((type) => methodPanel(session, view, type, type === open)).join("\n");
  return documentHtml({
    locale: view.locale,
    title: t.title,
    merchant: merchantName(session),
    switchHref: (locale) => pathWith(`/sessions/${session.id}`, { lang: locale, method: view.method ?? undefined }),
    summary: summaryHtml(view.locale, session),
    main: `<h2>${t.choose}</h2>${alertHtml(view.error)}<div class="methods">${panels}</div>`,
    script: types.includes("credit_card") ? cardScript() : undefined,
  });
}

function paymentResult(locale: Locale, session: SessionRecord, payment: PaymentRecord): string {
  const t = words(locale);
  const type = payment.payment_details?.type ?? "";
  if (payment.status === "authorized" && type === "konbini") return konbiniInstructions(locale, session, payment);
  if (payment.status === "authorized" && type === "bank_transfer")
    return bankTransferInstructions(locale, session, payment);
  const [title, text, box] =
    payment.status === "captured"
      ? [t.paidTitle, t.paidText, "ok"]
      : payment.status === "authorized" && type === "credit_card"
        ? [t.authorizedTitle, t.authorizedText, "ok"]
        : [t.title, t.statusText(payment.status), "info"];
  return `<h1 class="page">${escapeHtml(title)}</h1><p class="${box}" role="status" data-testid="result">${escapeHtml(text)}</p>
<dl class="facts"><dt>${escapeHtml(methodName(locale, type))}</dt><dd>${escapeHtml(formatAmount(locale, payment.total ?? payment.amount, payment.currency))}</dd></dl>${returnLink(locale, session)}`;
}

/** The session page once it cannot be paid any more: completed (with its payment), cancelled or expired. */
export function resultPage(session: SessionRecord, locale: Locale): string {
  const t = words(locale);
  let main: string;
  if (session.status === "completed" && session.payment) main = paymentResult(locale, session, session.payment);
  else {
    const text =
      session.status === "cancelled"
        ? t.cancelledSession
        : session.status === "completed"
          ? t.paidText
          : t.expiredSession;
    main = `<h1 class="page">${t.title}</h1><p class="info" role="status" data-testid="result">${escapeHtml(text)}</p>${returnLink(locale, session)}`;
  }
  return documentHtml({
    locale,
    title: t.title,
    merchant: merchantName(session),
    switchHref: (l) => `/sessions/${session.id}?lang=${l}`,
    summary: summaryHtml(locale, session),
    main,
  });
}
