import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
for await (const event of komoju.events.list({ start_time: "2025-03-01T00:00:00Z" })) {
  if (event.type === "payment.captured") console.log(event.data.id, event.data.total);
}
