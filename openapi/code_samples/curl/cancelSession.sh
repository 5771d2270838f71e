curl -X POST https://komoju.com/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv/cancel \
  -u sk_test_xxx: \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)"
