// What the local KOMOJU serves outside the API: the hosted checkout pages at each
// session_url (checkout/: card, konbini, bank transfer, redirect methods, 3-D Secure, in
// Japanese or English), and local-only controls under /_local/ (a prefix no KOMOJU path
// uses). Plain HTML forms, so the pages work without JavaScript.
import type { IncomingMessage, ServerResponse } from "node:http";
import { localeOf } from "./checkout/i18n.js";
import { documentHtml, escapeHtml, pathWith } from "./checkout/layout.js";
import { handleCheckout, html } from "./checkout/routes.js";
import { transition } from "./simulation/payments.js";
import { LocalKomojuError, type Store } from "./simulation/store.js";

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

/** Handles the non-API paths; returns false for anything else. */
export async function handlePage(req: IncomingMessage, res: ServerResponse, store: Store): Promise<boolean> {
  const { pathname, searchParams } = new URL(req.url ?? "/", "http://local");
  const parts = pathname.split("/").filter(Boolean);
  try {
    if (parts[0] === "_local") {
      handleLocal(req, res, store, parts.slice(1), searchParams);
      return true;
    }
    return await handleCheckout(req, res, store, parts);
  } catch (error) {
    if (!(error instanceof LocalKomojuError)) throw error;
    if (parts[0] === "_local") {
      json(res, error.status, error.toJSON());
      return true;
    }
    const locale = localeOf(searchParams.get("lang"), "en");
    const main = `<p class="alert" role="alert">${escapeHtml(error.message)}</p>`;
    html(res, error.status, documentHtml({ locale, title: "Local KOMOJU", merchant: "Local KOMOJU", main }));
    return true;
  }
}

/** A browser's form post (the checkout page's buttons) rather than a script's call: it wants a page back. */
const fromPage = (req: IncomingMessage) => /text\/html/.test(req.headers.accept ?? "");

/**
 * POST /_local/payments/{id}/{capture|expire|fail}, GET /_local/events, GET /_local/health.
 * A transition posted by the checkout page's form (konbini's "paid at the store") goes
 * back to the session's page; a script gets the payment as JSON.
 */
function handleLocal(req: IncomingMessage, res: ServerResponse, store: Store, parts: string[], query: URLSearchParams) {
  if (req.method === "GET" && parts[0] === "health") return json(res, 200, { ok: true, sessions: store.sessions.size });
  if (req.method === "GET" && parts[0] === "events" && parts.length === 1)
    return json(res, 200, { data: [...store.events.values()] });
  if (req.method === "POST" && parts[0] === "payments" && parts.length === 3) {
    const payment = store.transact((state) => transition(state, parts[1]!, parts[2]!));
    if (fromPage(req) && payment.session) {
      const location = pathWith(`/sessions/${encodeURIComponent(payment.session)}`, { lang: query.get("lang") ?? "" });
      return void res.writeHead(303, { location }).end();
    }
    return json(res, 200, payment);
  }
  throw new LocalKomojuError(
    404,
    "not_found",
    "Local endpoints: POST /_local/payments/{id}/capture|expire|fail, GET /_local/events, GET /_local/health.",
  );
}
