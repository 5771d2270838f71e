// The same request made five ways. Each function performs one complete request and
// reads the parsed JSON body, so they do the same work but for what the library adds.
import axios from "axios";
import createClient from "openapi-fetch";
import { createKomojuClient } from "komoju-ts";

export const SECRET = "sk_test_bench";
const authorization = `Basic ${btoa(`${SECRET}:`)}`;
const ID = "e9x5mvx3jkpkofzcg7umfael6";
const body = { amount: 8888, currency: "JPY", return_url: "https://example.com/done", payment_types: ["credit_card", "konbini"] };

export function contenders(baseUrl) {
  const bare = createClient({ baseUrl, headers: { Authorization: authorization } });
  const komoju = createKomojuClient({ secretKey: SECRET, baseUrl });
  const http = axios.create({ baseURL: baseUrl, headers: { Authorization: authorization } });
  return {
    get: {
      "raw fetch": async () => (await fetch(`${baseUrl}/api/v1/sessions/${ID}`, { headers: { authorization } })).json(),
      "openapi-fetch": async () => (await bare.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } })).data,
      "komoju-ts": () => komoju.sessions.retrieve(ID),
      axios: async () => (await http.get(`/api/v1/sessions/${ID}`)).data,
    },
    post: {
      "raw fetch": async () =>
        (
          await fetch(`${baseUrl}/api/v1/sessions`, {
            method: "POST",
            headers: { authorization, "content-type": "application/json", "x-komoju-idempotency": crypto.randomUUID() },
            body: JSON.stringify(body),
          })
        ).json(),
      "openapi-fetch": async () => (await bare.POST("/api/v1/sessions", { body, params: { header: { "X-KOMOJU-IDEMPOTENCY": crypto.randomUUID() } } })).data,
      "komoju-ts": () => komoju.sessions.create(body),
      axios: async () => (await http.post("/api/v1/sessions", body, { headers: { "x-komoju-idempotency": crypto.randomUUID() } })).data,
    },
  };
}
