import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const event = await komoju.events.retrieve("3c9ks6xl2pyuvbxv26pa3zmfe");
if (event.type === "payment.refunded") console.log(event.data.amount_refunded);
