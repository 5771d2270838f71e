import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
const result = await komoju.sessions.pay("1kv31jmdp5zweqlr2l2odr8wv", {
  payment_details: { type: "konbini", store: "lawson", email: "test@example.com" },
});
if (result.redirect_url) console.log("Send the customer to", result.redirect_url);
