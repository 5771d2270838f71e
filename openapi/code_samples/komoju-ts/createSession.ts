import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const session = await komoju.sessions.create({
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/orders/42/return",
  payment_types: ["credit_card", "konbini"],
  metadata: { order_id: "42" },
});
// Send the customer to session.session_url
