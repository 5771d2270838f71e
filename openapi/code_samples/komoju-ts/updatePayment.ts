import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const payment = await komoju.payments.update("3wt550ngz3roq94k1cy4n9b94", {
  description: "Order 42, gift wrapped",
  metadata: { order_id: "42" },
});
console.log(payment.description);
