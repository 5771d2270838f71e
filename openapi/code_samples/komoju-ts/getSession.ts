import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});

// Your return_url handler: KOMOJU appends ?session_id=… when the customer comes back.
export async function GET(request: Request): Promise<Response> {
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const session = await komoju.sessions.retrieve(sessionId);
  if (session.status === "completed") return new Response(`Paid: ${session.payment?.status}`);
  return new Response("Not paid yet", { status: 402 });
}
