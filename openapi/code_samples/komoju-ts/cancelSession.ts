import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const session = await komoju.sessions.cancel("1kv31jmdp5zweqlr2l2odr8wv");
console.log(session.status); // "cancelled"
