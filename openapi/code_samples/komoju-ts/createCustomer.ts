import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
const customer = await komoju.customers.create({
  email: "test@example.com",
  payment_details: "tok_2igg25moy54uv0hubhauo1dhs",
});
// Charge later: komoju.payments.create({ amount, currency, customer: customer.id })
console.log(customer.id);
