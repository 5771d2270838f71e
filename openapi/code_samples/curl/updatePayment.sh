curl -X PATCH https://komoju.com/api/v1/payments/3wt550ngz3roq94k1cy4n9b94 \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -d '{
    "description": "Order 42, gift wrapped",
    "metadata": {
      "order_id": "42"
    }
  }'
