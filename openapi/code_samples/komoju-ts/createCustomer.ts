import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const customer = await komoju.customers.create({
  email: "test@example.com",
  payment_details: "tok_2igg25moy54uv0hubhauo1dhs",
});
// Charge later: komoju.payments.create({ amount, currency, customer: customer.id })
console.log(customer.id);
