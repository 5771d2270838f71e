import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import {
  createReplayGuard,
  type Event,
  isPaymentEvent,
  KomojuInvalidRequestError,
  KomojuSignatureError,
  KomojuWebhookPayloadError,
  verifyWebhook,
} from "komoju-ts";

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

export interface WebhookReceiverOptions {
  /** The webhook's secret token from KOMOJU's dashboard. */
  secret: string;
  onEvent: (event: Event) => Promise<void> | void;
  /** Defaults to one process's memory; pass `createReplayGuard({ store })` when several instances share the traffic. */
  replayGuard?: { firstSeen(event: Event): boolean | Promise<boolean>; forget(event: Event): unknown };
  /** Where refusals and failures are reported, one line each; defaults to console.error. */
  log?: (line: string) => void;
}

/**
 * A KOMOJU webhook endpoint on plain node:http: verify the signature over the raw
 * bytes, drop replayed events by the signed event id, then hand the typed event over.
 * `X-Komoju-ID` is the id of one delivery attempt and is not signed, so it only
 * appears in log lines, to match them with KOMOJU's dashboard.
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): Server {
  const { secret, onEvent, replayGuard = createReplayGuard(), log = console.error } = options;
  if (typeof secret !== "string" || secret === "") {
    throw new KomojuInvalidRequestError(
      "The webhook receiver needs the webhook's secret token from KOMOJU's dashboard.",
      "invalid_webhook_secret",
    );
  }
  // Reasons are logged, never the secret: a handler's error message could quote it.
  const reason = (error: unknown) =>
    (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split(secret).join("[secret]");

  const handle = async (req: IncomingMessage, res: ServerResponse, delivery: string) => {
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    const rawBody = await readRawBody(req);
    if (!rawBody) return void res.writeHead(413).end("body too large");

    let event: Event;
    try {
      event = await verifyWebhook({
        rawBody,
        signature: req.headers["x-komoju-signature"] as string | undefined,
        secret,
      });
    } catch (error) {
      if (!(error instanceof KomojuSignatureError || error instanceof KomojuWebhookPayloadError)) throw error;
      log(`webhook ${delivery} refused: ${error.code}`);
      // An event older than verifyWebhook's maxAgeMs is a replay (a restart emptied the in-memory guard).
      const [status, text] =
        error instanceof KomojuSignatureError
          ? [401, "invalid signature"]
          : error.code === "stale_event"
            ? [400, "stale event"]
            : [400, "not an event"];
      return void res.writeHead(status).end(text);
    }

    if (!(await replayGuard.firstSeen(event))) return void res.writeHead(200).end("already processed");
    try {
      await onEvent(event);
    } catch (error) {
      // Let KOMOJU deliver it again: forget the event and answer with an error.
      await replayGuard.forget(event);
      log(
        `webhook ${delivery} event ${event.id} (${event.type}): handler failed, answering 500 so KOMOJU redelivers: ${reason(error)}`,
      );
      return void res.writeHead(500).end("handler failed");
    }
    res.writeHead(200).end("ok");
  };

  return createServer((req, res) => {
    // Attacker-controlled: quoted, so control characters cannot forge log lines.
    const delivery = JSON.stringify(String(req.headers["x-komoju-id"] ?? "(no X-Komoju-ID)"));
    // Anything unexpected (a replay store that is down, a client that hangs up) is a
    // logged 500, never an unhandled rejection that takes the process down.
    handle(req, res, delivery).catch((error: unknown) => {
      log(`webhook ${delivery}: internal error: ${reason(error)}`);
      if (!res.headersSent) res.writeHead(500).end("internal error");
      else res.destroy();
    });
  });
}

// Run directly: KOMOJU_WEBHOOK_SECRET=… PORT=3000 npx tsx examples/webhook-receiver.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.KOMOJU_WEBHOOK_SECRET;
  if (!secret) {
    console.error(
      "KOMOJU_WEBHOOK_SECRET is not set: set it to the webhook's secret token from KOMOJU's dashboard (Manage → Webhooks).",
    );
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 3000);
  const server = createWebhookReceiver({
    secret,
    onEvent(event) {
      if (isPaymentEvent(event))
        console.log(event.type, event.data.id, event.data.status, event.data.amount, event.data.currency);
      else console.log(event.type, event.id);
    },
  });
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on 127.0.0.1:${port} (${error.code}): set PORT to another port.`);
    process.exit(1);
  });
  server.listen(port, "127.0.0.1", () =>
    console.log(`Listening for KOMOJU webhooks on http://127.0.0.1:${(server.address() as { port: number }).port}`),
  );
}
