// The checkout pages' requests: GET /sessions/{id} (the page, or the result once paid),
// POST /sessions/{id}/pay, the stand-in for a redirect method's site at
// /sessions/{id}/offsite/{type}, and the 3-D Secure page at /three_d_secure/{id}. Each
// change of state runs in a transaction of the store, as an API call does.
import type { IncomingMessage, ServerResponse } from "node:http";
import { threeDSecureKind } from "../cards.js";
import { cardNumber } from "../simulation/details.js";
import { answerChallenge, type PayResult, paySession, retrieveSession } from "../simulation/sessions.js";
import { LocalKomojuError, notFound, type State, type Store } from "../simulation/store.js";
import type { DetailsInput, SessionRecord } from "../simulation/types.js";
import { type CardValues, cardFromForm, challengePage } from "./card.js";
import { type Locale, localeOf, methodName, STORES, translateError, words } from "./i18n.js";
import { pathWith } from "./layout.js";
import { checkoutPage, resultPage } from "./page.js";
import { isRedirectMethod, offsitePage } from "./redirect.js";

export function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > 65_536) {
        // Destroying emits no error of its own, so the promise is settled here.
        reject(new Error("The form is larger than 64 KiB."));
        req.destroy();
      }
    });
    req.on("end", () => resolve(new URLSearchParams(text)));
    req.on("error", reject);
  });
}

export function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(body);
}

const redirect = (res: ServerResponse, location: string) => void res.writeHead(303, { location }).end();

/** The session as the checkout page shows it (read in a transaction, as any change of state). */
const sessionOf = (store: Store, id: string) => store.transact((state) => retrieveSession(state, id));

const sessionPage = (id: string, locale: Locale, method?: string) =>
  pathWith(`/sessions/${id}`, { lang: locale, method });

/** What a refused attempt shows: the checkout page again, with the reason and what was typed. */
interface Retry {
  locale: Locale;
  method: string;
  card?: CardValues;
}

/**
 * Pays, then sends the customer on: to the 3-D Secure page, to the store's or bank's
 * instructions (a konbini or bank transfer is not paid yet), or back to the shop. A
 * declined card (KOMOJU's 502) shows the checkout page again with the reason.
 */
function afterPay(res: ServerResponse, store: Store, id: string, retry: Retry, pay: (state: State) => PayResult) {
  let result: PayResult;
  try {
    result = store.transact(pay);
  } catch (error) {
    if (!(error instanceof LocalKomojuError) || error.status !== 502) throw error;
    const view = { ...retry, now: new Date(store.now()), error: translateError(retry.locale, error.message) };
    return html(res, 200, checkoutPage(sessionOf(store, id), view));
  }
  const own = store.publicUrl();
  if (result.redirect_url?.startsWith(`${own}/three_d_secure/`))
    return redirect(res, pathWith(result.redirect_url, { lang: retry.locale }));
  const payment = result.payment;
  const offline = payment?.status === "authorized" && payment.payment_details?.type !== "credit_card";
  if (result.redirect_url && !offline) return redirect(res, result.redirect_url);
  redirect(res, sessionPage(id, retry.locale));
}

const contactOf = (form: URLSearchParams, session: SessionRecord) => ({
  email: form.get("email") || session.email || "customer@example.com",
  phone: form.get("phone") || "09012345678",
});

/** payment_details from a konbini or bank-transfer form (a redirect method pays with its type alone). */
function offlineDetails(form: URLSearchParams, session: SessionRecord, type: string): DetailsInput {
  const contact = contactOf(form, session);
  if (type === "konbini") {
    const store = form.get("store") ?? "";
    return { type, store: Object.hasOwn(STORES, store) ? store : "seven-eleven", ...contact };
  }
  if (type === "bank_transfer") {
    const kana = (name: string, fallback: string) => form.get(name) || fallback;
    return {
      type,
      ...contact,
      family_name_kana: kana("family_name_kana", "ヤマダ"),
      given_name_kana: kana("given_name_kana", "タロウ"),
    };
  }
  return { type, email: contact.email };
}

async function pay(req: IncomingMessage, res: ServerResponse, store: Store, id: string) {
  const session = sessionOf(store, id);
  const form = await readForm(req);
  const locale = localeOf(form.get("lang"), session.default_locale);
  const type = form.get("type") ?? "";
  const now = new Date(store.now());
  if (type !== "credit_card") {
    const payment_details = offlineDetails(form, session, type);
    return afterPay(res, store, id, { locale, method: type }, (state) => paySession(state, id, { payment_details }));
  }
  const card = cardFromForm(form, session.email ?? "customer@example.com", locale, now);
  if (!card.details) {
    const view = { locale, now, method: type, card: card.values, cardErrors: card.errors };
    return html(res, 422, checkoutPage(session, view));
  }
  const payment_details = card.details;
  const retry = { locale, method: type, card: card.values };
  afterPay(res, store, id, retry, (state) => paySession(state, id, { payment_details }));
}

/** GET shows the stand-in for the method's site; POST approves (pays) or declines (back to the page). */
async function offsite(req: IncomingMessage, res: ServerResponse, store: Store, id: string, type: string) {
  const session = sessionOf(store, id);
  if (!isRedirectMethod(type) || !session.payment_methods.some((method) => method.type === type)) throw notFound();
  const query = new URL(req.url ?? "/", "http://local").searchParams;
  if (req.method === "GET")
    return html(res, 200, offsitePage(localeOf(query.get("lang"), session.default_locale), session, type));
  const form = await readForm(req);
  const locale = localeOf(form.get("lang"), session.default_locale);
  if (form.get("decision") !== "approve") {
    const view = {
      locale,
      now: new Date(store.now()),
      method: type,
      error: words(locale).offsiteDeclined(methodName(locale, type)),
    };
    return html(res, 200, checkoutPage(session, view));
  }
  const payment_details = offlineDetails(form, session, type);
  afterPay(res, store, id, { locale, method: type }, (state) => paySession(state, id, { payment_details }));
}

async function threeDSecure(req: IncomingMessage, res: ServerResponse, store: Store, id: string) {
  const { session, challenge } = store.transact((state) => ({
    session: retrieveSession(state, id),
    challenge: state.sessionStates.get(id)?.challenge,
  }));
  if (!challenge) throw notFound();
  const number = cardNumber(challenge.details);
  const query = new URL(req.url ?? "/", "http://local").searchParams;
  if (req.method === "GET") {
    const locale = localeOf(query.get("lang"), session.default_locale);
    return html(res, 200, challengePage(locale, session, { number, kind: threeDSecureKind(number) }));
  }
  const form = await readForm(req);
  const locale = localeOf(form.get("lang"), session.default_locale);
  afterPay(res, store, id, { locale, method: "credit_card" }, (state) =>
    answerChallenge(state, id, form.get("password")),
  );
}

/** The checkout pages; false for any other path or method. */
export async function handleCheckout(req: IncomingMessage, res: ServerResponse, store: Store, parts: string[]) {
  const [first, id, action, type] = parts;
  const get = req.method === "GET";
  const post = req.method === "POST";
  if (first === "three_d_secure" && id && parts.length === 2 && (get || post)) {
    await threeDSecure(req, res, store, id);
    return true;
  }
  if (first !== "sessions" || !id) return false;
  if (parts.length === 2 && get) {
    const session = sessionOf(store, id);
    const query = new URL(req.url ?? "/", "http://local").searchParams;
    const locale = localeOf(query.get("lang"), session.default_locale);
    const pending = session.status === "pending" && !session.expired;
    const view = { locale, now: new Date(store.now()), method: query.get("method") };
    html(res, 200, pending ? checkoutPage(session, view) : resultPage(session, locale));
    return true;
  }
  if (parts.length === 3 && action === "pay" && post) {
    await pay(req, res, store, id);
    return true;
  }
  if (parts.length === 4 && action === "offsite" && type && (get || post)) {
    await offsite(req, res, store, id, type);
    return true;
  }
  return false;
}
