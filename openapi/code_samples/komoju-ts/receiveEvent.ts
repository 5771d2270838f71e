import { createReplayGuard, isPaymentEvent, KomojuSignatureError, verifyWebhook } from "komoju-ts";

const replays = createReplayGuard();

// A fetch-style handler (Next.js route, Hono, Bun, Deno): read the body as bytes.
export async function POST(request: Request): Promise<Response> {
  try {
    const event = await verifyWebhook({
      rawBody: await request.arrayBuffer(),
      signature: request.headers.get("x-komoju-signature"),
      secret: process.env.KOMOJU_WEBHOOK_SECRET!,
    });
    if (replays.firstSeen(event) && isPaymentEvent(event)) {
      console.log(event.type, event.data.status);
    }
    return new Response(null, { status: 200 });
  } catch (error) {
    if (error instanceof KomojuSignatureError) return new Response(null, { status: 400 });
    throw error;
  }
}
