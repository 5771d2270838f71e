import { createServer, type Server } from "node:http";
import { pathToFileURL } from "node:url";
import { createKomojuClient, type KomojuClient, KomojuError, KomojuNotFoundError } from "komoju-ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The hosted-checkout round trip on plain node:http:
 *   GET /checkout  creates a session and sends the customer to KOMOJU's page;
 *   GET /return    is where KOMOJU sends them back, with ?session_id=…
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
        const session = await komoju.sessions.retrieve(sessionId);
        const message =
          session.status === "completed"
            ? "Thank you, your payment went through."
            : `Your payment is ${session.status}.`;
        return void res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(`<p>${escapeHtml(message)}</p>`);
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
