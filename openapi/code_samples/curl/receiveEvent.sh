# Send your endpoint a signed test delivery, as KOMOJU would.
body='{"id":"2w4e6r8t0y1u3i5o7p9a1s3d5","type":"ping","resource":"event","data":{},"created_at":"2020-08-17T09:00:00Z","reason":null}'
signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$KOMOJU_WEBHOOK_SECRET" | sed 's/^.* //')
curl -X POST http://localhost:3000/webhooks/komoju \
  -H "Content-Type: application/json" \
  -H "X-Komoju-ID: 2w4e6r8t0y1u3i5o7p9a1s3d5" \
  -H "X-Komoju-Event: ping" \
  -H "X-Komoju-Signature: $signature" \
  -d "$body"
