curl -X POST https://komoju.com/api/v1/payments \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "amount": 1000,
    "currency": "JPY",
    "tax": 0,
    "payment_details": "tok_2igg25moy54uv0hubhauo1dhs",
    "external_order_num": "ORDER42",
    "metadata": {
      "order_id": "42"
    }
  }'
