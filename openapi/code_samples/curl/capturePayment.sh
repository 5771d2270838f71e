curl -X POST https://komoju.com/api/v1/payments/3wt550ngz3roq94k1cy4n9b94/capture \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "amount": 800,
    "tax": 0
  }'
