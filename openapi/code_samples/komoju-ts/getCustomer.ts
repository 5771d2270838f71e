import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
const customer = await komoju.customers.retrieve("3ia9knmuqcdvz0eu3tsx3op21");
console.log(customer.source?.last_four_digits);
