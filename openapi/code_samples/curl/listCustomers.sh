curl -G https://komoju.com/api/v1/customers \
  -u sk_test_xxx: \
  -d per_page=50
