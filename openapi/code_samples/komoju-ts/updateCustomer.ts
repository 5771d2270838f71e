import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const customer = await komoju.customers.update("3ia9knmuqcdvz0eu3tsx3op21", { email: "new-address@example.com" });
console.log(customer.email);
