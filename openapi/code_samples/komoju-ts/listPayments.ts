import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
for await (const payment of komoju.payments.list({ status: "captured", per_page: 50 })) {
  console.log(payment.id, payment.total, payment.currency);
}
