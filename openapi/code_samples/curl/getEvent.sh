curl https://komoju.com/api/v1/events/3c9ks6xl2pyuvbxv26pa3zmfe \
  -u sk_test_xxx:
