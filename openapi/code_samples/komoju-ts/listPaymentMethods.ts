import { createKomojuClient } from "komoju-ts";

// The publishable key is enough here, so this call may run in the browser.
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_PUBLISHABLE_KEY!, // pk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const methods = await komoju.paymentMethods.list();
console.log(methods.map((method) => method.type_slug));
