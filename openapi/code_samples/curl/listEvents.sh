curl -G https://komoju.com/api/v1/events \
  -u sk_test_xxx: \
  -d start_time=2025-03-01T00:00:00Z
