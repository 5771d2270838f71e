import { createKomojuClient, KomojuError } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_… or sk_live_…
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com; the local mock: http://127.0.0.1:4010
});

// 1. Create a session, then send the customer to its URL.
const session = await komoju.sessions.create({
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/orders/42/return",
  payment_types: ["credit_card", "konbini", "paypay"],
  default_locale: "ja",
  metadata: { order_id: "42" },
});
console.log("Send the customer to", session.session_url);

// 2. When they come back to return_url with ?session_id=…, look the session up.
try {
  const returned = await komoju.sessions.retrieve(session.id);
  console.log("Session", returned.id, "is", returned.status);
} catch (error) {
  if (!(error instanceof KomojuError)) throw error;
  console.error("KOMOJU said", error.status, error.code, error.message);
}
