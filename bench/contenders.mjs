// The same request made four ways (five with a baseline: the client at another git ref,
// built by bench/baseline.mjs and called as the current one). Each function performs one
// complete request and reads the parsed JSON body, so they do the same work but for what
// the library adds. "raw fetch" is that job done by hand, as a careful integration would:
// the same headers the client sends (auth, API version, user agent, an idempotency key
// and content type on POSTs), a per-request timeout through an AbortController, no
// redirects followed, and an error thrown for a non-2xx status.
import axios from "axios";
import { createKomojuClient, DEFAULT_API_VERSION } from "komoju-ts";
import createClient from "openapi-fetch";

const SECRET = "sk_test_bench";
const authorization = `Basic ${btoa(`${SECRET}:`)}`;
const ID = "e9x5mvx3jkpkofzcg7umfael6";
const body = {
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/done",
  payment_types: ["credit_card", "konbini"],
};
const TIMEOUT_MS = 60_000;
const headers = { authorization, "x-komoju-api-version": DEFAULT_API_VERSION, "user-agent": "komoju-bench/1" };

async function byHand(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, redirect: "manual" });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return JSON.parse(text);
  } finally {
    clearTimeout(timer);
  }
}

/** `baseline`: `{ label, module }`, the module being the baseline's built package entry. */
export function contenders(baseUrl, baseline) {
  const bare = createClient({ baseUrl, headers: { Authorization: authorization } });
  const komoju = createKomojuClient({ secretKey: SECRET, baseUrl });
  const http = axios.create({ baseURL: baseUrl, headers: { Authorization: authorization } });
  const before = baseline?.module.createKomojuClient({ secretKey: SECRET, baseUrl });
  return {
    get: {
      "raw fetch": () => byHand(`${baseUrl}/api/v1/sessions/${ID}`, { headers }),
      "openapi-fetch": async () => (await bare.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } })).data,
      "komoju-ts": () => komoju.sessions.retrieve(ID),
      ...(baseline && { [baseline.label]: () => before.sessions.retrieve(ID) }),
      axios: async () => (await http.get(`/api/v1/sessions/${ID}`)).data,
    },
    post: {
      "raw fetch": () =>
        byHand(`${baseUrl}/api/v1/sessions`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "x-komoju-idempotency": crypto.randomUUID() },
          body: JSON.stringify(body),
        }),
      "openapi-fetch": async () =>
        (
          await bare.POST("/api/v1/sessions", {
            body,
            params: { header: { "X-KOMOJU-IDEMPOTENCY": crypto.randomUUID() } },
          })
        ).data,
      "komoju-ts": () => komoju.sessions.create(body),
      ...(baseline && { [baseline.label]: () => before.sessions.create(body) }),
      axios: async () =>
        (await http.post("/api/v1/sessions", body, { headers: { "x-komoju-idempotency": crypto.randomUUID() } })).data,
    },
  };
}
