import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({ secretKey: process.env.KOMOJU_SECRET_KEY! });
for await (const event of komoju.events.list({ start_time: "2025-03-01T00:00:00Z" })) {
  if (event.type === "payment.captured") console.log(event.data.id, event.data.total);
}
