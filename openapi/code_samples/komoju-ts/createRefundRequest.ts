import { createKomojuClient } from "komoju-ts";

const komoju = createKomojuClient({
  secretKey: process.env.KOMOJU_SECRET_KEY!, // sk_test_…
  // Unset: https://komoju.com. The local KOMOJU: http://127.0.0.1:4010
  baseUrl: process.env.KOMOJU_BASE_URL,
});
// Konbini, bank transfer and Pay-easy: KOMOJU transfers the refund to this account.
await komoju.payments.refundRequest("3wt550ngz3roq94k1cy4n9b94", {
  amount: 1000,
  customer_name: "ﾔﾏﾀﾞ ﾀﾛｳ",
  bank_name: "みずほ銀行",
  bank_code: "0001",
  branch_name: "東京営業部",
  branch_number: "001",
  account_type: "normal",
  account_number: "1234567",
  include_payment_method_fee: false,
  description: "Cancelled order 42",
});
