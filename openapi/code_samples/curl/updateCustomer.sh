curl -X PATCH https://komoju.com/api/v1/customers/3ia9knmuqcdvz0eu3tsx3op21 \
  -u sk_test_xxx: \
  -H "Content-Type: application/json" \
  -d '{
    "email": "new-address@example.com"
  }'
