// What the local KOMOJU serves outside the API: the hosted checkout page at each
// session_url, its 3-D Secure page, and local-only controls under /_local/ (a prefix
// no KOMOJU path uses). Plain HTML forms, so it works without JavaScript.
import { PAGE_CARDS, THREE_D_SECURE_PASSWORD } from "./cards.mjs";
import { LocalKomojuError } from "./state.mjs";

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:16px system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}.amount{font-size:2rem;margin:.5rem 0}form{margin:1rem 0;padding:1rem;border:1px solid #ccc;border-radius:8px}
button{font-size:1rem;margin:.25rem .25rem 0 0;padding:.5rem .9rem}.note{color:#666;font-size:.9rem}.error{color:#b00020}`;

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}<p class="note">Local KOMOJU: a simulator on your machine. No money moves.</p></body></html>`;
}

function formatAmount(amount, currency) {
  try {
    return new Intl.NumberFormat("ja-JP", { style: "currency", currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function checkoutPage(session, message) {
  const types = session.payment_methods.map((method) => method.type);
  const action = `/sessions/${escape(session.id)}/pay`;
  const forms = [];
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
    forms.push(`<p class="note">Also offered, not payable on this page: ${others.map(escape).join(", ")}.</p>`);
  const state = session.status === "pending" ? forms.join("\n") : `<p>This session is ${escape(session.status)}.</p>`;
  return page(
    `Pay ${session.merchant?.name ?? ""}`,
    `<h1>${escape(session.merchant?.name ?? "Merchant")}</h1>
<p class="amount" data-testid="amount">${escape(formatAmount(session.amount ?? 0, session.currency ?? "JPY"))}</p>
${message ? `<p class="error" role="alert">${escape(message)}</p>` : ""}${state}`,
  );
}

function challengePage(sessionId, message) {
  return page(
    "3-D Secure",
    `<h1>3-D Secure</h1>${message ? `<p class="error" role="alert">${escape(message)}</p>` : ""}
<form method="post" action="/three_d_secure/${escape(sessionId)}"><label>Password (${THREE_D_SECURE_PASSWORD} passes) <input name="password" autocomplete="off"></label> <button>Verify</button></form>`,
  );
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
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

function html(res, status, body) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(body);
}

function json(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

/** Where the customer goes after Pay: the 3-D Secure page, return_url, or back to the page with the reason. */
function afterPay(res, sessionId, pay, komoju) {
  let result;
  try {
    result = pay();
  } catch (error) {
    if (!(error instanceof LocalKomojuError) || error.status !== 502) throw error;
    return html(res, 200, checkoutPage(komoju.retrieveSession(sessionId), error.message));
  }
  if (result.redirect_url) return res.writeHead(303, { location: result.redirect_url }).end();
  html(res, 200, checkoutPage(komoju.retrieveSession(sessionId)));
}

function paymentDetailsFromForm(form, session) {
  const email = session.email ?? "customer@example.com";
  const type = form.get("type");
  if (type === "credit_card")
    return {
      type,
      number: PAGE_CARDS[form.get("card")] ?? PAGE_CARDS.success,
      month: 12,
      year: new Date().getFullYear() + 3,
      email,
    };
  if (type === "konbini") return { type, store: form.get("store") ?? "lawson", email };
  return { type: type ?? "", email };
}

/**
 * Handles the non-API paths; returns false for anything else.
 * @param {import("./state.mjs").LocalKomoju} komoju
 */
export async function handlePage(req, res, komoju) {
  const { pathname } = new URL(req.url ?? "/", "http://local");
  const parts = pathname.split("/").filter(Boolean);
  try {
    if (parts[0] === "sessions" && parts.length === 2 && req.method === "GET") {
      return (html(res, 200, checkoutPage(komoju.retrieveSession(parts[1]))), true);
    }
    if (parts[0] === "sessions" && parts[2] === "pay" && parts.length === 3 && req.method === "POST") {
      const session = komoju.retrieveSession(parts[1]);
      const form = await readForm(req);
      return (
        afterPay(
          res,
          session.id,
          () => komoju.paySession(session.id, { payment_details: paymentDetailsFromForm(form, session) }),
          komoju,
        ),
        true
      );
    }
    if (parts[0] === "three_d_secure" && parts.length === 2) {
      if (req.method === "GET") return (html(res, 200, challengePage(komoju.retrieveSession(parts[1]).id)), true);
      if (req.method === "POST") {
        const form = await readForm(req);
        return (afterPay(res, parts[1], () => komoju.answerChallenge(parts[1], form.get("password")), komoju), true);
      }
    }
    if (parts[0] === "_local") return (handleLocal(req, res, komoju, parts.slice(1)), true);
    return false;
  } catch (error) {
    if (!(error instanceof LocalKomojuError)) throw error;
    if (parts[0] === "_local") json(res, error.status, error.toJSON());
    else html(res, error.status, page("Local KOMOJU", `<p class="error" role="alert">${escape(error.message)}</p>`));
    return true;
  }
}

/** POST /_local/payments/{id}/{capture|expire|fail}, GET /_local/events, GET /_local/health. */
function handleLocal(req, res, komoju, parts) {
  if (req.method === "GET" && parts[0] === "health")
    return json(res, 200, { ok: true, sessions: komoju.sessions.size });
  if (req.method === "GET" && parts[0] === "events" && parts.length === 1)
    return json(res, 200, { data: komoju.events });
  if (req.method === "POST" && parts[0] === "payments" && parts.length === 3)
    return json(res, 200, komoju.transition(parts[1], parts[2]));
  throw new LocalKomojuError(
    404,
    "not_found",
    "Local endpoints: POST /_local/payments/{id}/capture|expire|fail, GET /_local/events, GET /_local/health.",
  );
}
