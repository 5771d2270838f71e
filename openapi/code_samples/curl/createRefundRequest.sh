curl -X POST https://komoju.com/api/v1/payments/3wt550ngz3roq94k1cy4n9b94/refund_request \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "amount": 1000,
    "customer_name": "ﾔﾏﾀﾞ ﾀﾛｳ",
    "bank_name": "みずほ銀行",
    "bank_code": "0001",
    "branch_name": "東京営業部",
    "branch_number": "001",
    "account_type": "normal",
    "account_number": "1234567",
    "include_payment_method_fee": false,
    "description": "Cancelled order 42"
  }'
