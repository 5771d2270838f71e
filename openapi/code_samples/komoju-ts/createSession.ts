import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const session = await komoju.sessions.create({
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/orders/42/return",
  payment_types: ["credit_card", "konbini"],
  metadata: { order_id: "42" },
});
console.log("Send the customer to", session.session_url);
