import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const customer = await komoju.customers.delete("3ia9knmuqcdvz0eu3tsx3op21");
console.log(`Deleted ${customer.id}`);
