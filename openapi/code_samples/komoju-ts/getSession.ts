import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});

// Your return_url handler: KOMOJU appends ?session_id=… when the customer comes back.
export async function GET(request: Request): Promise<Response> {
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const session = await komoju.sessions.retrieve(sessionId);
  if (session.status === "completed") return new Response(`Paid: ${session.payment?.status}`);
  return new Response("Not paid yet", { status: 402 });
}
