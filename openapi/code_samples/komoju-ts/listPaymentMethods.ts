import { createKomojuClient } from "komoju-ts";

// The publishable key is enough here, so this call may run in the browser.
// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any pk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_PUBLISHABLE_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
const methods = await komoju.paymentMethods.list();
console.log(methods.map((method) => method.type_slug));
