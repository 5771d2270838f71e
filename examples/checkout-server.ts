import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { createKomojuClient, type KomojuClient, KomojuError, KomojuNotFoundError, type Session } from "komoju-ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An amount as KOMOJU gives it, in the currency's smallest unit (yen; cents for USD), for people. */
function formatAmount(amount: number, currency: string): string {
  const format = new Intl.NumberFormat("en-US", { style: "currency", currency });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 0));
}

const formatDeadline = (iso: string | null | undefined) =>
  iso
    ? `${new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", dateStyle: "long", timeStyle: "short" }).format(new Date(iso))} (Japan time)`
    : "the deadline in KOMOJU's email";

/**
 * What the customer is told on return, from the session as KOMOJU has it now. A session
 * is `completed` as soon as the customer chose how to pay: for a card that means paid
 * (`captured`), but for konbini and bank transfer the payment is only `authorized`, and
 * the money arrives (or not) days later, when the customer pays at the store or bank.
 */
function returnMessage(session: Session): string {
  const payment = session.payment;
  // pending: the customer came back without choosing how to pay (or pressed back); cancelled by the shop.
  if (session.status !== "completed" || !payment) return `Your payment is ${escapeHtml(session.status)}.`;
  const amount = escapeHtml(formatAmount(payment.total ?? payment.amount, payment.currency));
  const type = payment.payment_details?.type;
  if (payment.status === "captured") return "Thank you, your payment went through.";
  if (payment.status === "authorized" && type === "konbini")
    return `Thank you, your order is reserved, but not paid yet: pay ${amount} at the convenience store by ${escapeHtml(formatDeadline(payment.payment_deadline))}, with the receipt number on KOMOJU's page (also sent by email). We ship once the payment arrives.`;
  if (payment.status === "authorized" && type === "bank_transfer")
    return `Thank you, your order is reserved, but not paid yet: transfer ${amount} to the account on KOMOJU's page by ${escapeHtml(formatDeadline(payment.payment_deadline))}. We ship once the payment arrives.`;
  if (payment.status === "authorized") return "Thank you, your payment is authorized.";
  return `Your payment is ${escapeHtml(payment.status)}.`;
}

/**
 * The hosted-checkout round trip on plain node:http:
 *   GET /checkout  creates a session and sends the customer to KOMOJU's page;
 *   GET /return    is where KOMOJU sends them back, with ?session_id=…
 *
 * The return page only tells the customer where they stand; it fulfils nothing. The
 * customer may never come back (a closed tab), may come back twice, and a konbini or bank
 * transfer customer comes back before paying. Ship the order from the `payment.captured`
 * webhook (examples/webhook-receiver.ts): KOMOJU sends it when the money is collected,
 * at once for a card, days later for a konbini payment.
 */
export function createCheckoutServer(options: { komoju: KomojuClient; publicUrl: string }): Server {
  const { komoju, publicUrl } = options;
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", publicUrl);
    try {
      if (url.pathname === "/checkout") {
        const session = await komoju.sessions.create({
          amount: 8888,
          currency: "JPY",
          return_url: new URL("/return", publicUrl).href,
          payment_types: ["credit_card", "konbini", "paypay"],
          default_locale: "ja",
          metadata: { order_id: "42" },
        });
        return void res.writeHead(303, { location: session.session_url }).end();
      }
      if (url.pathname === "/return") {
        const sessionId = url.searchParams.get("session_id");
        if (!sessionId) return void res.writeHead(400, { "content-type": "text/plain" }).end("missing session_id");
        // Read the status from KOMOJU: anyone can open /return?session_id=… by hand.
        const session = await komoju.sessions.retrieve(sessionId);
        return void res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(`<p>${returnMessage(session)}</p>`);
      }
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    } catch (error) {
      // Never show KOMOJU's error to the customer; log it for yourself.
      if (!(error instanceof KomojuError)) console.error(error);
      const status = error instanceof KomojuNotFoundError ? 404 : 502;
      if (!res.headersSent)
        res.writeHead(status, { "content-type": "text/plain" }).end("Sorry, something went wrong with the payment.");
    }
  });
}

// Run directly: KOMOJU_SECRET_KEY=sk_test_… [KOMOJU_BASE_URL=http://127.0.0.1:4010] npx tsx examples/checkout-server.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  const komoju = createKomojuClient({
    secretKey: process.env.KOMOJU_SECRET_KEY!,
    baseUrl: process.env.KOMOJU_BASE_URL,
  });
  createCheckoutServer({ komoju, publicUrl: `http://127.0.0.1:${port}` }).listen(port, "127.0.0.1", () =>
    console.log(`Open http://127.0.0.1:${port}/checkout`),
  );
}
