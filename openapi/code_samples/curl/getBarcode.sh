curl https://komoju.com/api/v1/barcodes/dy9e1bjo86xc7d6362gkb7jkx \
  -u sk_test_xxx:
