import { createKomojuClient } from "komoju-ts";

// The publishable key is enough here, so this call may run in the browser.
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_PUBLISHABLE_KEY!, // pk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const token = await komoju.tokens.create({
  payment_details: {
    type: "credit_card",
    number: "4111111111111111",
    month: 12,
    year: 2030,
    verification_value: "123",
    name: "Taro Yamada",
  },
  currency: "JPY",
});
// Send token.id to your server; it pays with komoju.payments.create({ payment_details: token.id, … }).
console.log(token.id);
