curl -X POST https://komoju.com/api/v1/sessions \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "amount": 8888,
    "currency": "JPY",
    "return_url": "https://example.com/orders/42/return",
    "payment_types": ["credit_card", "konbini"],
    "metadata": {
      "order_id": "42"
    }
  }'
