curl -X POST https://komoju.com/api/v1/customers \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "email": "test@example.com",
    "payment_details": "tok_2igg25moy54uv0hubhauo1dhs"
  }'
