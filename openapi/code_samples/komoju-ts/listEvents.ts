import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
for await (const event of komoju.events.list({ start_time: "2025-03-01T00:00:00Z" })) {
  if (event.type === "payment.captured") console.log(event.data.id, event.data.total);
}
