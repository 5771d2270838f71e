curl -X POST https://komoju.com/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv/pay \
  -u pk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{"payment_details": {"type": "konbini", "store": "lawson", "email": "test@example.com"}}'
