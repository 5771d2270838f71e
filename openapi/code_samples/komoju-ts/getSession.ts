import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });

// Your return_url handler: KOMOJU appends ?session_id=… when the customer comes back.
export async function GET(request: Request): Promise<Response> {
  const sessionId = new URL(request.url).searchParams.get("session_id") ?? "";
  const session = await komoju.sessions.retrieve(sessionId);
  if (session.status === "completed") return new Response(`Paid: ${session.payment?.status}`);
  return new Response("Not paid yet", { status: 402 });
}
