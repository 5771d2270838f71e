// What the local KOMOJU serves outside the API: the hosted checkout page at each
// session_url, its 3-D Secure page, and local-only controls under /_local/ (a prefix
// no KOMOJU path uses). Plain HTML forms, so it works without JavaScript.
import type { IncomingMessage, ServerResponse } from "node:http";
import { PAGE_CARDS, THREE_D_SECURE_PASSWORD } from "./cards.js";
import { transition } from "./simulation/payments.js";
import { answerChallenge, type PayResult, paySession, retrieveSession } from "./simulation/sessions.js";
import { LocalKomojuError, type State, type Store } from "./simulation/store.js";
import type { DetailsInput, SessionRecord } from "./simulation/types.js";

const escapeHtml = (text: unknown) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}.amount{font-size:2rem;margin:.5rem 0}form{margin:1rem 0;padding:1rem;border:1px solid #ccc;border-radius:8px}
button{font-size:1rem;margin:.25rem .25rem 0 0;padding:.5rem .9rem}.note{color:#666;font-size:.9rem}.error{color:#b00020}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}<p class="note">Local KOMOJU: a simulator on your machine. No money moves.</p></body></html>`;
}

function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat("ja-JP", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function checkoutPage(session: SessionRecord, message?: string): string {
  const types = session.payment_methods.map((method) => method.type);
  const action = `/sessions/${escapeHtml(session.id)}/pay`;
  const forms: string[] = [];
  if (types.includes("credit_card")) {
    forms.push(`<form method="post" action="${action}"><h2>Card</h2><input type="hidden" name="type" value="credit_card">
<button name="card" value="success">Pay by card</button><button name="card" value="decline">Declined card</button><button name="card" value="threeDSecure">Card with 3-D Secure</button></form>`);
  }
  if (types.includes("konbini")) {
    forms.push(`<form method="post" action="${action}"><h2>Konbini</h2><input type="hidden" name="type" value="konbini">
<button name="store" value="lawson">Pay at Lawson</button><button name="store" value="family-mart">Pay at FamilyMart</button></form>`);
  }
  if (types.includes("bank_transfer")) {
    forms.push(
      `<form method="post" action="${action}"><h2>Bank transfer</h2><input type="hidden" name="type" value="bank_transfer"><button>Pay by bank transfer</button></form>`,
    );
  }
  const others = types.filter((type) => !["credit_card", "konbini", "bank_transfer"].includes(type));
  if (others.length > 0)
    forms.push(`<p class="note">Also offered, not payable on this page: ${others.map(escapeHtml).join(", ")}.</p>`);
  const state =
    session.status === "pending" ? forms.join("\n") : `<p>This session is ${escapeHtml(session.status)}.</p>`;
  return page(
    `Pay ${session.merchant?.name ?? ""}`,
    `<h1>${escapeHtml(session.merchant?.name ?? "Merchant")}</h1>
<p class="amount" data-testid="amount">${escapeHtml(formatAmount(session.amount ?? 0, session.currency ?? "JPY"))}</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ""}${state}`,
  );
}

function challengePage(sessionId: string, message?: string): string {
  return page(
    "3-D Secure",
    `<h1>3-D Secure</h1>${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ""}
<form method="post" action="/three_d_secure/${escapeHtml(sessionId)}"><label>Password (${THREE_D_SECURE_PASSWORD} passes) <input name="password" autocomplete="off"></label> <button>Verify</button></form>`,
  );
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
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

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

/** The session as the checkout page shows it (read in a transaction, as any change of state). */
const sessionOf = (store: Store, id: string) => store.transact((state) => retrieveSession(state, id));

/** Where the customer goes after Pay: the 3-D Secure page, return_url, or back to the page with the reason. */
function afterPay(res: ServerResponse, store: Store, sessionId: string, pay: (state: State) => PayResult) {
  let result: PayResult;
  try {
    result = store.transact(pay);
  } catch (error) {
    if (!(error instanceof LocalKomojuError) || error.status !== 502) throw error;
    return html(res, 200, checkoutPage(sessionOf(store, sessionId), error.message));
  }
  if (result.redirect_url) return void res.writeHead(303, { location: result.redirect_url }).end();
  html(res, 200, checkoutPage(sessionOf(store, sessionId)));
}

function paymentDetailsFromForm(form: URLSearchParams, session: SessionRecord): DetailsInput {
  const email = session.email ?? "customer@example.com";
  const type = form.get("type");
  const card = form.get("card") ?? "";
  if (type === "credit_card")
    return {
      type,
      number: Object.hasOwn(PAGE_CARDS, card) ? PAGE_CARDS[card as keyof typeof PAGE_CARDS] : PAGE_CARDS.success,
      month: 12,
      year: new Date().getFullYear() + 3,
      email,
    };
  if (type === "konbini") return { type, store: form.get("store") ?? "lawson", email };
  return { type: type ?? "", email };
}

/** The checkout page, its Pay, and the 3-D Secure page; false for any other path. */
async function handleCheckout(req: IncomingMessage, res: ServerResponse, store: Store, parts: string[]) {
  const [first, id, action] = parts;
  if (first === "sessions" && id && parts.length === 2 && req.method === "GET") {
    html(res, 200, checkoutPage(sessionOf(store, id)));
    return true;
  }
  if (first === "sessions" && id && action === "pay" && parts.length === 3 && req.method === "POST") {
    const session = sessionOf(store, id);
    const form = await readForm(req);
    const payment_details = paymentDetailsFromForm(form, session);
    afterPay(res, store, session.id, (state) => paySession(state, session.id, { payment_details }));
    return true;
  }
  if (first !== "three_d_secure" || !id || parts.length !== 2) return false;
  if (req.method === "GET") {
    html(res, 200, challengePage(sessionOf(store, id).id));
    return true;
  }
  if (req.method !== "POST") return false;
  const form = await readForm(req);
  afterPay(res, store, id, (state) => answerChallenge(state, id, form.get("password")));
  return true;
}

/** Handles the non-API paths; returns false for anything else. */
export async function handlePage(req: IncomingMessage, res: ServerResponse, store: Store): Promise<boolean> {
  const { pathname } = new URL(req.url ?? "/", "http://local");
  const parts = pathname.split("/").filter(Boolean);
  try {
    if (parts[0] === "_local") {
      handleLocal(req, res, store, parts.slice(1));
      return true;
    }
    return await handleCheckout(req, res, store, parts);
  } catch (error) {
    if (!(error instanceof LocalKomojuError)) throw error;
    if (parts[0] === "_local") json(res, error.status, error.toJSON());
    else
      html(res, error.status, page("Local KOMOJU", `<p class="error" role="alert">${escapeHtml(error.message)}</p>`));
    return true;
  }
}

/** POST /_local/payments/{id}/{capture|expire|fail}, GET /_local/events, GET /_local/health. */
function handleLocal(req: IncomingMessage, res: ServerResponse, store: Store, parts: string[]) {
  if (req.method === "GET" && parts[0] === "health") return json(res, 200, { ok: true, sessions: store.sessions.size });
  if (req.method === "GET" && parts[0] === "events" && parts.length === 1)
    return json(res, 200, { data: [...store.events.values()] });
  if (req.method === "POST" && parts[0] === "payments" && parts.length === 3)
    return json(
      res,
      200,
      store.transact((state) => transition(state, parts[1]!, parts[2]!)),
    );
  throw new LocalKomojuError(
    404,
    "not_found",
    "Local endpoints: POST /_local/payments/{id}/capture|expire|fail, GET /_local/events, GET /_local/health.",
  );
}
