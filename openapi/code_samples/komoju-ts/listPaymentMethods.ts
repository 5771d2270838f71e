import { createKomojuClient } from "komoju-ts";

// The publishable key is enough here, so this call may run in the browser.
const komoju = createKomojuClient({ secretKey: "pk_test_xxx" });
const methods = await komoju.paymentMethods.list();
console.log(methods.map((method) => method.type_slug));
