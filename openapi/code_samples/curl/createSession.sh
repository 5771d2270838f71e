curl -X POST https://komoju.com/api/v1/sessions \
  -u sk_test_xxx: \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d amount=8888 -d currency=JPY \
  -d return_url=https://example.com/orders/42/return \
  -d "payment_types[]=credit_card" -d "payment_types[]=konbini" \
  -d "metadata[order_id]=42"
