import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const page = await komoju.customers.list({ per_page: 50 });
console.log(
  page.total,
  page.data.map((customer) => customer.email),
);
