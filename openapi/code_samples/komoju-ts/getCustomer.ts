import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const customer = await komoju.customers.retrieve("3ia9knmuqcdvz0eu3tsx3op21");
console.log(customer.source?.last_four_digits);
