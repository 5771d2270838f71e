curl -X POST https://komoju.com/api/v1/payments \
  -u sk_test_xxx: \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d amount=1000 -d currency=JPY -d tax=0 \
  -d payment_details=tok_2igg25moy54uv0hubhauo1dhs \
  -d external_order_num=ORDER42
