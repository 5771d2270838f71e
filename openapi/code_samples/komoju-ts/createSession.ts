import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
const session = await komoju.sessions.create({
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/orders/42/return",
  payment_types: ["credit_card", "konbini"],
  metadata: { order_id: "42" },
});
console.log("Send the customer to", session.session_url);
