import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const payment = await komoju.payments.retrieve("3wt550ngz3roq94k1cy4n9b94");
console.log(payment.status, payment.amount_refunded);
