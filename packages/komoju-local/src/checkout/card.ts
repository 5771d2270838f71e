// The card form (number, expiry, CVC, name; prefilled with the successful Visa test card,
// the brand shown as typed), KOMOJU's test cards listed under it, the form read back into
// payment_details, and the 3-D Secure page.
import {
  BRAND_PREFIXES,
  cardBrand,
  declineCards,
  PAGE_CARDS,
  SUCCESS_CARDS,
  THREE_D_SECURE_CARDS,
  type ThreeDSecureKind,
} from "../cards.js";
import type { DetailsInput, SessionRecord } from "../simulation/types.js";
import { BRAND_NAMES, type Locale, translateError, words } from "./i18n.js";
import { alertHtml, documentHtml, escapeHtml } from "./layout.js";
import { merchantName, summaryHtml, totalOf } from "./order.js";

/** What the customer typed, shown again after a refusal. */
export interface CardValues {
  number: string;
  expiry: string;
  cvc: string;
  name: string;
}

export type CardErrors = Partial<Record<"number" | "expiry" | "cvc", string>>;

const group = (digits: string) =>
  /^3[47]/.test(digits)
    ? [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].filter(Boolean).join(" ")
    : (digits.match(/.{1,4}/g) ?? []).join(" ");

export function defaultCard(now: Date): CardValues {
  const year = String((now.getFullYear() + 3) % 100).padStart(2, "0");
  return { number: group(PAGE_CARDS.success), expiry: `12 / ${year}`, cvc: "123", name: "TARO YAMADA" };
}

export const brandLogo = (brand: string) =>
  Object.hasOwn(BRAND_NAMES, brand) ? `<span class="logo ${brand}">${BRAND_NAMES[brand]}</span>` : "";

export const brandLogos = () => Object.keys(BRAND_NAMES).map(brandLogo).join("");

function field(id: string, label: string, input: string, error?: string): string {
  const err = error ? `<p class="fielderr" id="${id}-err">${escapeHtml(error)}</p>` : "";
  return `<div class="field"><label for="${id}">${escapeHtml(label)}</label>${input}${err}</div>`;
}

function input(id: string, name: string, value: string, attributes: string, error?: string): string {
  const invalid = error ? ` aria-invalid="true" aria-describedby="${id}-err"` : "";
  return `<input id="${id}" name="${name}" type="text" value="${escapeHtml(value)}" ${attributes}${invalid}>`;
}

/** KOMOJU's test cards by what they do, each with a button that fills it in (cards.ts has the sources). */
function testCardList(locale: Locale): string {
  const t = words(locale);
  const item = (number: string, what: string) =>
    `<li><span class="card">${brandLogo(cardBrand(number))}<code>${group(number)}</code></span><button type="button" data-card="${number}" aria-label="${escapeHtml(`${t.use} ${number}`)}">${t.use}</button><span class="what">${escapeHtml(what)}</span></li>`;
  const kinds = Object.entries(THREE_D_SECURE_CARDS) as [ThreeDSecureKind, readonly string[]][];
  const groups: [string, string[]][] = [
    [t.successCards, Object.values(SUCCESS_CARDS).map((number) => item(number, t.successCard))],
    [
      t.declinedCards,
      declineCards().map(({ number, code, message }) => item(number, `${translateError(locale, message)} (${code})`)),
    ],
    [t.threeDSecure, kinds.flatMap(([kind, numbers]) => numbers.map((number) => item(number, t[kind])))],
  ];
  return groups
    .map(([title, items]) => `<h3>${escapeHtml(title)}</h3><ul class="cards">${items.join("")}</ul>`)
    .join("");
}

/** The card panel's form: its fields, the pay button and the list of test cards. */
export function cardForm(locale: Locale, session: SessionRecord, values: CardValues, errors: CardErrors): string {
  const t = words(locale);
  const digits = values.number.replace(/\D/g, "");
  const numberInput = input(
    "cc-number",
    "number",
    values.number,
    'inputmode="numeric" autocomplete="cc-number" maxlength="23"',
    errors.number,
  );
  return `<form method="post" action="/sessions/${escapeHtml(session.id)}/pay" novalidate data-testid="card-form">
<input type="hidden" name="type" value="credit_card"><input type="hidden" name="lang" value="${locale}">
${field("cc-number", t.cardNumber, `<div class="with-brand">${numberInput}<span class="brand" id="cc-brand" data-testid="card-brand" aria-live="polite">${brandLogo(cardBrand(digits))}</span></div>`, errors.number)}
<div class="row">${field("cc-exp", t.expiry, input("cc-exp", "expiry", values.expiry, 'inputmode="numeric" autocomplete="cc-exp" placeholder="MM / YY"', errors.expiry), errors.expiry)}
${field("cc-cvc", t.cvc, input("cc-cvc", "cvc", values.cvc, 'inputmode="numeric" autocomplete="cc-csc" maxlength="4"', errors.cvc), errors.cvc)}</div>
${field("cc-name", t.cardName, input("cc-name", "name", values.name, 'autocomplete="cc-name" autocapitalize="characters"'))}
<button class="primary" type="submit">${escapeHtml(`${t.pay} ${totalOf(locale, session)}`)}</button>
<details class="tests"><summary>${t.testCards}</summary><p class="note">${t.testCardsHint}</p>
<div data-testid="test-cards">${testCardList(locale)}</div></details></form>`;
}

/** Shows the brand as the number is typed, groups the digits, and fills a listed test card. */
export function cardScript(): string {
  return `(()=>{const P=${JSON.stringify(BRAND_PREFIXES)},N=${JSON.stringify(BRAND_NAMES)};
const n=document.getElementById("cc-number"),o=document.getElementById("cc-brand");if(!n||!o)return;
const brand=d=>{for(const[p,b]of P)if(new RegExp(p).test(d))return b;return""};
const group=d=>/^3[47]/.test(d)?[d.slice(0,4),d.slice(4,10),d.slice(10)].filter(Boolean).join(" "):(d.match(/.{1,4}/g)||[]).join(" ");
const show=()=>{const b=brand(n.value.replace(/\\D/g,""));o.innerHTML=b?'<span class="logo '+b+'">'+N[b]+"</span>":""};
n.addEventListener("input",()=>{const d=n.value.replace(/\\D/g,"").slice(0,19);if(n.value!==group(d))n.value=group(d);show()});
for(const b of document.querySelectorAll("[data-card]"))b.addEventListener("click",()=>{n.value=group(b.dataset.card);show();n.focus()});})();`;
}

const luhn = (digits: string) =>
  [...digits].reverse().reduce((sum, c, i) => {
    const d = Number(c) * (i % 2 ? 2 : 1);
    return sum + (d > 9 ? d - 9 : d);
  }, 0) %
    10 ===
  0;

/** Month and four-digit year of "MM / YY", "MM/YYYY" or "MMYY", if it is a date not passed. */
function expiryOf(text: string, now: Date): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return undefined;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) return undefined;
  return { month, year };
}

/**
 * The card form as payment_details, or what to correct. A form naming a preset card
 * (`card=success|decline|threeDSecure`, as scripts post it) instead of a number pays with it.
 */
export function cardFromForm(
  form: URLSearchParams,
  email: string,
  locale: Locale,
  now: Date,
): { details?: DetailsInput; values: CardValues; errors: CardErrors } {
  const preset = form.get("card") ?? "success";
  if (!form.has("number")) {
    const number = Object.hasOwn(PAGE_CARDS, preset)
      ? PAGE_CARDS[preset as keyof typeof PAGE_CARDS]
      : PAGE_CARDS.success;
    const values = { ...defaultCard(now), number };
    return {
      details: { type: "credit_card", number, month: 12, year: now.getFullYear() + 3, email },
      values,
      errors: {},
    };
  }
  const t = words(locale);
  const values = {
    number: form.get("number") ?? "",
    expiry: form.get("expiry") ?? "",
    cvc: form.get("cvc") ?? "",
    name: form.get("name") ?? "",
  };
  const number = values.number.replace(/[\s-]/g, "");
  const expiry = expiryOf(values.expiry, now);
  const errors: CardErrors = {};
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) errors.number = t.invalidNumber;
  if (!expiry) errors.expiry = t.invalidExpiry;
  if (!/^\d{3,4}$/.test(values.cvc.trim())) errors.cvc = t.invalidCvc;
  if (Object.keys(errors).length > 0 || !expiry) return { values, errors };
  const name = values.name.trim();
  const details = { type: "credit_card", number, ...expiry, verification_value: values.cvc.trim(), email };
  return { details: name ? { ...details, name } : details, values, errors };
}

/** The 3-D Secure page: the issuer's password step, or a pass-through for the cards that fail after it. */
export function challengePage(
  locale: Locale,
  session: SessionRecord,
  card: { number: string; kind: ThreeDSecureKind | undefined },
  message?: string,
): string {
  const t = words(locale);
  const brand = BRAND_NAMES[cardBrand(card.number)] ?? "";
  const answer =
    card.kind === "fails_after_redirect"
      ? `<p class="note">${t.redirectCheck}</p><button class="primary" type="submit">${t.continue}</button>`
      : `<div class="field"><label for="tds-password">${t.password}</label><input id="tds-password" name="password" type="password" autocomplete="off" inputmode="numeric" aria-describedby="tds-hint"></div>
<p class="note" id="tds-hint">${escapeHtml(t.passwordHint)}</p><button class="primary" type="submit">${t.verify}</button>`;
  const main = `<h1 class="page">${brandLogo(cardBrand(card.number))} ${t.secureTitle}</h1>${alertHtml(message)}
<p>${escapeHtml(t.secureIntro(brand, card.number.slice(-4)))}</p>
<dl class="facts"><dt>${escapeHtml(merchantName(session))}</dt><dd>${escapeHtml(totalOf(locale, session))}</dd></dl>
<form method="post" action="/three_d_secure/${escapeHtml(session.id)}"><input type="hidden" name="lang" value="${locale}">${answer}</form>`;
  return documentHtml({
    locale,
    title: t.secureTitle,
    merchant: merchantName(session),
    switchHref: (l) => `/three_d_secure/${session.id}?lang=${l}`,
    summary: summaryHtml(locale, session),
    main,
  });
}
