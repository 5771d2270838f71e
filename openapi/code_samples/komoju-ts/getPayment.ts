import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const payment = await komoju.payments.retrieve("3wt550ngz3roq94k1cy4n9b94");
console.log(payment.status, payment.amount_refunded);
