import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
// Refund 400; omit the body to refund the whole payment.
const payment = await komoju.payments.refund("3wt550ngz3roq94k1cy4n9b94", {
  amount: 400,
  description: "Partial refund",
});
console.log(payment.status, payment.amount_refunded);
