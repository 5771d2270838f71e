import { createKomojuClient } from "komoju-ts";

// KOMOJU_BASE_URL=http://127.0.0.1:4010 and any sk_test_ key: the local KOMOJU (npm start).
const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!,
  baseUrl: process.env.KOMOJU_BASE_URL, // unset: https://komoju.com
});
let barcode = await komoju.barcodes.retrieve("dy9e1bjo86xc7d6362gkb7jkx");
while (barcode.status === "pending") {
  await new Promise((resolve) => setTimeout(resolve, barcode.status === "pending" ? barcode.retry_after * 1000 : 0));
  barcode = await komoju.barcodes.retrieve("dy9e1bjo86xc7d6362gkb7jkx");
}
console.log(`<img src="data:image/png;base64,${barcode.image}">`, barcode.expires_at);
