import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const payment = await komoju.payments.create({
  amount: 1000,
  currency: "JPY",
  tax: 0,
  payment_details: "tok_2igg25moy54uv0hubhauo1dhs", // from hosted fields or komoju.tokens.create
  external_order_num: "ORDER42",
});
console.log(payment.status); // "captured"
