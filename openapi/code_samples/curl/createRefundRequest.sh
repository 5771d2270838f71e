curl -X POST https://komoju.com/api/v1/payments/3wt550ngz3roq94k1cy4n9b94/refund_request \
  -u sk_test_xxx: \
  -H "X-KOMOJU-IDEMPOTENCY: $(uuidgen)" \
  -d amount=1000 -d "customer_name=ﾔﾏﾀﾞ ﾀﾛｳ" -d "bank_name=みずほ銀行" \
  -d branch_number=001 -d account_type=normal -d account_number=1234567 \
  -d include_payment_method_fee=false
