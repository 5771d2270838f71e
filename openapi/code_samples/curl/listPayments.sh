curl -G https://komoju.com/api/v1/payments \
  -u sk_test_xxx: \
  -d status=captured -d per_page=50
