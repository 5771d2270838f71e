import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const result = await komoju.sessions.pay("1kv31jmdp5zweqlr2l2odr8wv", {
  payment_details: { type: "konbini", store: "lawson", email: "test@example.com" },
});
if (result.redirect_url) console.log("Send the customer to", result.redirect_url);
