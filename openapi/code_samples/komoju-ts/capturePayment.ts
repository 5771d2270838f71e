import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
// Capture 800 of a 1,000 yen authorization; omit the body to capture it all.
const payment = await komoju.payments.capture("3wt550ngz3roq94k1cy4n9b94", { amount: 800, tax: 0 });
console.log(payment.status); // "captured"
