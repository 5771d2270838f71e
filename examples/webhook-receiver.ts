import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { createReplayGuard, type Event, isPaymentEvent, KomojuSignatureError, KomojuWebhookPayloadError, verifyWebhook } from "komoju-ts";

const MAX_BODY_BYTES = 1024 * 1024;

async function readRawBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * A KOMOJU webhook endpoint on plain node:http: verify the signature over the raw
 * bytes, drop replayed deliveries by X-Komoju-ID, then hand the typed event over.
 */
export function createWebhookReceiver(options: { secret: string; onEvent: (event: Event) => Promise<void> | void }): Server {
  const replays = createReplayGuard();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    const rawBody = await readRawBody(req);
    if (!rawBody) return void res.writeHead(413).end("body too large");

    let event: Event;
    try {
      event = await verifyWebhook({ rawBody, signature: req.headers["x-komoju-signature"] as string | undefined, secret: options.secret });
    } catch (error) {
      if (error instanceof KomojuSignatureError) return void res.writeHead(401).end("invalid signature");
      if (error instanceof KomojuWebhookPayloadError) return void res.writeHead(400).end("not an event");
      throw error;
    }

    const deliveryId = String(req.headers["x-komoju-id"] ?? "");
    if (deliveryId === "") return void res.writeHead(400).end("missing X-Komoju-ID");
    if (!replays.firstSeen(deliveryId)) return void res.writeHead(200).end("already processed");
    try {
      await options.onEvent(event);
    } catch {
      // Let KOMOJU deliver it again: forget the ID and answer with an error.
      replays.forget(deliveryId);
      return void res.writeHead(500).end("handler failed");
    }
    res.writeHead(200).end("ok");
  };
  return createServer((req, res) => {
    // Anything unexpected (a misconfigured secret, a client that hangs up) is a 500,
    // never an unhandled rejection that takes the process down.
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end("internal error");
      else res.destroy();
    });
  });
}

// Run directly: KOMOJU_WEBHOOK_SECRET=… PORT=3000 npx tsx examples/webhook-receiver.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  createWebhookReceiver({
    secret: process.env.KOMOJU_WEBHOOK_SECRET!,
    onEvent(event) {
      if (isPaymentEvent(event)) console.log(event.type, event.data.id, event.data.status, event.data.amount, event.data.currency);
      else console.log(event.type, event.id);
    },
  }).listen(port, "127.0.0.1", () => console.log(`Listening for KOMOJU webhooks on http://127.0.0.1:${port}`));
}
