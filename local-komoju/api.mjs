// The API server Prism forwards to. It sees only requests the spec allows, and Prism
// checks each of its answers against the spec, so it reads bodies without re-checking
// them and answers in KOMOJU's shapes.
import { createServer } from "node:http";
import { parseRackForm } from "./form.mjs";
import { coerce, errorMessage, requestSchema } from "./spec.mjs";
import { LocalKomojuError } from "./state.mjs";

const MAX_BODY = 1 << 20;
const MAX_REPLAYS = 10_000;

/** A secret or publishable key as the Basic user name (sk_test_…, or the seed's sk_123456); live keys are refused. */
const KEY_SHAPE = /^(sk|pk)_(?!live_)[A-Za-z0-9_]+$/;

/** Which key kinds may call each operation: publishable keys may show and pay, as in KOMOJU's browser code. */
const ROUTES = [
  {
    method: "POST",
    pattern: /^\/api\/v1\/sessions$/,
    keys: ["sk"],
    run: (komoju, body, req) => komoju.createSession(body, { scenario: req.headers["komoju-scenario"] }),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/sessions\/([^/]+)$/,
    keys: ["sk", "pk"],
    run: (komoju, _body, _req, id) => komoju.retrieveSession(id),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/sessions\/([^/]+)\/cancel$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.cancelSession(id),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/sessions\/([^/]+)\/pay$/,
    keys: ["sk", "pk"],
    run: (komoju, body, _req, id) => komoju.paySession(id, body),
  },
  { method: "POST", pattern: /^\/api\/v1\/payments$/, keys: ["sk"], run: (komoju, body) => komoju.createPayment(body) },
  {
    method: "GET",
    pattern: /^\/api\/v1\/payments$/,
    keys: ["sk"],
    run: (komoju, _body, _req, _id, query) => komoju.listPayments(query),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/payments\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.payment(id),
  },
  {
    method: "PATCH",
    pattern: /^\/api\/v1\/payments\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, body, _req, id) => komoju.updatePayment(id, body),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/payments\/([^/]+)\/capture$/,
    keys: ["sk"],
    run: (komoju, body, _req, id) => komoju.capturePayment(id, body),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/payments\/([^/]+)\/cancel$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.cancelPayment(id),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/payments\/([^/]+)\/refund$/,
    keys: ["sk"],
    run: (komoju, body, _req, id) => komoju.refundPayment(id, body),
  },
  {
    method: "POST",
    pattern: /^\/api\/v1\/customers$/,
    keys: ["sk"],
    run: (komoju, body) => komoju.createCustomer(body),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/customers$/,
    keys: ["sk"],
    run: (komoju, _body, _req, _id, query) => komoju.listCustomers(query),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/customers\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.customer(id),
  },
  {
    method: "PATCH",
    pattern: /^\/api\/v1\/customers\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, body, _req, id) => komoju.updateCustomer(id, body),
  },
  {
    method: "DELETE",
    pattern: /^\/api\/v1\/customers\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.deleteCustomer(id),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/events$/,
    keys: ["sk"],
    run: (komoju, _body, _req, _id, query) => komoju.listEvents(query),
  },
  {
    method: "GET",
    pattern: /^\/api\/v1\/events\/([^/]+)$/,
    keys: ["sk"],
    run: (komoju, _body, _req, id) => komoju.event(id),
  },
];

/** Whether the simulator implements this call (the spec describes more than it simulates). */
export function simulates(method, pathname) {
  return ROUTES.some((route) => route.method === method && route.pattern.test(pathname));
}

/** Reads the key from Basic auth; the value itself is never logged or echoed. */
function keyKind(header) {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const [user, password] = Buffer.from(match[1], "base64").toString("utf8").split(":");
  if (password !== "" || !KEY_SHAPE.test(user ?? "")) return undefined;
  return user.slice(0, 2);
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) })
    .end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new LocalKomojuError(400, "bad_request", "The request body is larger than 1 MiB."));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parse(text, contentType, schema) {
  if (text === "") return {};
  if (/application\/x-www-form-urlencoded/i.test(contentType ?? "")) return coerce(parseRackForm(text), schema);
  return JSON.parse(text);
}

/** @param {import("./state.mjs").LocalKomoju} komoju */
export function createApiServer(komoju) {
  // KOMOJU answers a repeated Idempotency-Key with the first answer.
  const replays = new Map();
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://local");
      const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route)
        throw new LocalKomojuError(
          404,
          "not_found",
          errorMessage("not_found", "The requested resource could not be found."),
        );
      const kind = keyKind(req.headers.authorization);
      if (!kind || !route.keys.includes(kind)) {
        throw new LocalKomojuError(
          401,
          "unauthorized",
          `${errorMessage("unauthorized", "User authorization failed")}: send a test key (never a live one) as the Basic user name with an empty password (sk_test_…:${route.keys.includes("pk") ? " or pk_test_…:" : ""}).`,
        );
      }
      const text = await readBody(req);
      const replayKey =
        req.headers["idempotency-key"] && `${req.method} ${url.pathname} ${req.headers["idempotency-key"]}`;
      const replay = replayKey && replays.get(replayKey);
      if (replay) return send(res, replay.status, replay.body);
      const body = parse(text, req.headers["content-type"], requestSchema(url.pathname, req.method));
      const id = route.pattern.exec(url.pathname)[1];
      const result = route.run(komoju, body, req, id, url.searchParams);
      if (replayKey) {
        replays.set(replayKey, { status: 200, body: structuredClone(result) });
        if (replays.size > MAX_REPLAYS) replays.delete(replays.keys().next().value);
      }
      send(res, 200, result);
    } catch (error) {
      if (error instanceof LocalKomojuError) return send(res, error.status, error.toJSON());
      if (error instanceof SyntaxError)
        return send(res, 400, { error: { code: "bad_request", message: "The body is not valid JSON.", param: null } });
      send(res, 500, {
        error: { code: "internal_server_error", message: `The local KOMOJU failed: ${error.message}`, param: null },
      });
    }
  });
}
