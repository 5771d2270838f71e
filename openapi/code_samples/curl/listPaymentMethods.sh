curl https://komoju.com/api/v1/payment_methods \
  -u pk_test_xxx:
