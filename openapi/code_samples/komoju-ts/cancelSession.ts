import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
const session = await komoju.sessions.cancel("1kv31jmdp5zweqlr2l2odr8wv");
console.log(session.status); // "cancelled"
