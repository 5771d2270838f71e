import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
const event = await komoju.events.retrieve("3c9ks6xl2pyuvbxv26pa3zmfe");
if (event.type === "payment.refunded") console.log(event.data.amount_refunded);
