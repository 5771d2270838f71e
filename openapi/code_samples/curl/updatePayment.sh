curl -X PATCH https://komoju.com/api/v1/payments/3wt550ngz3roq94k1cy4n9b94 \
  -u sk_test_xxx: \
  -d "description=Order 42, gift wrapped" \
  -d "metadata[order_id]=42"
