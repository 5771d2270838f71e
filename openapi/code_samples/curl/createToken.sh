curl -X POST https://komoju.com/api/v1/tokens \
  -u pk_test_xxx: \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d "payment_details[type]=credit_card" \
  -d "payment_details[number]=4111111111111111" \
  -d "payment_details[month]=12" -d "payment_details[year]=2030" \
  -d "payment_details[verification_value]=123"
