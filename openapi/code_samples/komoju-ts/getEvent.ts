import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const event = await komoju.events.retrieve("3c9ks6xl2pyuvbxv26pa3zmfe");
if (event.type === "payment.refunded") console.log(event.data.amount_refunded);
