import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
let barcode = await komoju.barcodes.retrieve("dy9e1bjo86xc7d6362gkb7jkx");
while (barcode.status === "pending") {
  await new Promise((resolve) => setTimeout(resolve, barcode.status === "pending" ? barcode.retry_after * 1000 : 0));
  barcode = await komoju.barcodes.retrieve("dy9e1bjo86xc7d6362gkb7jkx");
}
console.log(`<img src="data:image/png;base64,${barcode.image}">`, barcode.expires_at);
