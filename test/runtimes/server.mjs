// A fake KOMOJU on 127.0.0.1 for the runtime smoke suite (smoke.mjs). Session ids
// choose the behaviour: flaky_* answers 503 once, then 200 with the attempt count;
// hang_* never answers; missing_* is a 404; anything else is a pending session.
import { createServer } from "node:http";

const SECRET_KEY = "sk_test_runtime_smoke";
const EXPECTED_AUTH = `Basic ${Buffer.from(`${SECRET_KEY}:`).toString("base64")}`;

const session = (fields) => ({
  id: "sess_created",
  resource: "session",
  mode: "payment",
  amount: 8888,
  currency: "JPY",
  session_url: "https://komoju.com/sessions/sess_created",
  return_url: "https://example.com/return",
  default_locale: "ja",
  payment_methods: [],
  created_at: "2025-01-28T00:00:00.000Z",
  cancelled_at: null,
  completed_at: null,
  status: "pending",
  expired: false,
  metadata: {},
  payment: null,
  secure_token: null,
  ...fields,
});

export function startServer() {
  const attempts = new Map();
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const json = (status, value, headers = {}) =>
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
      const auth = req.headers.authorization === EXPECTED_AUTH ? "ok" : "bad";
      if (req.method === "POST" && req.url === "/api/v1/sessions") {
        const sent = JSON.parse(body || "{}");
        return json(
          200,
          session({
            amount: sent.amount,
            currency: sent.currency,
            metadata: { auth, idempotency_key: req.headers["x-komoju-idempotency"] },
          }),
        );
      }
      const id = req.method === "GET" && /^\/api\/v1\/sessions\/([^/?]+)$/.exec(req.url ?? "")?.[1];
      if (!id) return json(404, { error: { code: "not_found", message: "Not found", param: null } });
      const count = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, count);
      if (id.startsWith("hang_")) return;
      if (id.startsWith("missing_"))
        return json(404, { error: { code: "not_found", message: `Session ${id} not found`, param: null } });
      if (id.startsWith("flaky_") && count === 1)
        return json(503, { error: { code: "service_unavailable", message: "Try again", param: null } });
      return json(200, session({ id, metadata: { auth, attempts: String(count) } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(done));
        },
      }),
    ),
  );
}
