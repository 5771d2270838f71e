import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
for await (const payment of komoju.payments.list({ status: "captured", per_page: 50 })) {
  console.log(payment.id, payment.total, payment.currency);
}
