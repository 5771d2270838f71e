import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const payment = await komoju.payments.create({
  amount: 1000,
  currency: "JPY",
  tax: 0,
  payment_details: "tok_2igg25moy54uv0hubhauo1dhs", // from hosted fields or komoju.tokens.create
  external_order_num: "ORDER42",
  metadata: { order_id: "42" },
});
console.log(payment.status); // "captured"
