curl https://komoju.com/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv \
  -u sk_test_xxx:
