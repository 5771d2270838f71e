curl -X POST https://komoju.com/api/v1/tokens \
  -u pk_test_xxx: \
  -H "Content-Type: application/json" \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d '{
    "payment_details": {
      "type": "credit_card",
      "number": "4111111111111111",
      "month": 12,
      "year": 2030,
      "verification_value": "123",
      "name": "Taro Yamada"
    },
    "currency": "JPY"
  }'
