// The API server Prism forwards to. It sees only requests the spec allows, and Prism
// checks each of its answers against the spec, so it reads bodies without re-checking
// them and answers in KOMOJU's shapes. A request reaches its handler through the
// operation the spec matches it to (its operationId). The handler runs on a draft of the
// store, committed only once its answer passes the spec's response schema (answers.ts):
// an answer Prism would refuse changes nothing.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { checkAnswer } from "./answers.js";
import { parseRackForm } from "./form.js";
import type { Handler, Handlers, KeyKind, Store } from "./simulation/store.js";
import { LocalKomojuError, MAX_METADATA_KEYS } from "./simulation/store.js";
import type { Body } from "./simulation/types.js";
import { coerce, errorMessage, matchOperation, requestSchema } from "./spec.js";

const MAX_BODY = 1 << 20;
const MAX_REPLAYS = 10_000;

/** A secret or publishable key as the Basic user name (sk_test_…, or the seed's sk_123456); live keys are refused. */
const KEY_SHAPE = /^(sk|pk)_(?!live_)[A-Za-z0-9_]+$/;

/** The handler of this request's operation, if the simulator has one (the spec describes more than it simulates). */
export function handlerFor(handlers: Handlers, method: string, pathname: string) {
  const operation = matchOperation(method, pathname);
  const handler =
    operation && Object.hasOwn(handlers, operation.operationId) ? handlers[operation.operationId] : undefined;
  return handler && operation ? { handler, params: operation.params, entry: operation.entry } : undefined;
}

/** Reads the key from Basic auth; the value itself is never logged or echoed. */
function keyKind(header: string | undefined): KeyKind | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return undefined;
  const [user, password] = Buffer.from(match[1]!, "base64").toString("utf8").split(":");
  if (password !== "" || !KEY_SHAPE.test(user ?? "")) return undefined;
  return user!.slice(0, 2) as KeyKind;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204) return void res.writeHead(204).end();
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) })
    .end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new LocalKomojuError(400, "bad_request", "The request body is larger than 1 MiB."));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parse(text: string, contentType: string | undefined, method: string, pathname: string): Body {
  if (text === "") return {};
  if (/application\/x-www-form-urlencoded/i.test(contentType ?? ""))
    return coerce(parseRackForm(text), requestSchema(method, pathname)) as Body;
  return JSON.parse(text) as Body;
}

function refuseKey(handler: Handler): LocalKomojuError {
  const keys = handler.keys ?? ["sk"];
  return new LocalKomojuError(
    401,
    "unauthorized",
    `${errorMessage("unauthorized", "User authorization failed")}: send a test key (never a live one) as the Basic user name with an empty password (sk_test_…:${keys.includes("pk") ? " or pk_test_…:" : ""}).`,
  );
}

/**
 * The same key with another body. KOMOJU documents the key's replay and a 409 for a key
 * still in flight, not this case; a 409 `conflict` is what its documented status allows.
 */
function reusedKey(): LocalKomojuError {
  return new LocalKomojuError(
    409,
    "conflict",
    "This X-KOMOJU-IDEMPOTENCY key was already used with a different request body: use a new key for a new request.",
  );
}

/** More metadata keys than the local KOMOJU holds, refused as Prism refuses a key or value too long. */
function checkMetadata(body: Body): void {
  const { metadata } = body;
  if (metadata === null || typeof metadata !== "object" || Object.keys(metadata).length <= MAX_METADATA_KEYS) return;
  throw new LocalKomojuError(
    422,
    "invalid_parameter",
    `The parameter metadata is invalid: must NOT have more than ${MAX_METADATA_KEYS} properties`,
    "metadata",
  );
}

function sendFailure(res: ServerResponse, error: unknown) {
  if (error instanceof LocalKomojuError) return send(res, error.status, error.toJSON());
  if (error instanceof SyntaxError)
    return send(res, 400, { error: { code: "bad_request", message: "The body is not valid JSON.", param: null } });
  const message = `The local KOMOJU failed: ${(error as Error)?.message ?? String(error)}`;
  send(res, 500, { error: { code: "internal_server_error", message, param: null } });
}

export function createApiServer(store: Store, handlers: Handlers): Server {
  // KOMOJU answers a repeated X-KOMOJU-IDEMPOTENCY with the same body with the first answer.
  const replays = new Map<string, { status: number; body: unknown; sent: string }>();

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://local");
    const found = handlerFor(handlers, method, url.pathname);
    if (!found)
      throw new LocalKomojuError(
        404,
        "not_found",
        errorMessage("not_found", "The requested resource could not be found."),
      );
    const kind = keyKind(req.headers.authorization);
    if (!kind || !(found.handler.keys ?? ["sk"]).includes(kind)) throw refuseKey(found.handler);
    const text = await readBody(req);
    const key = req.headers["x-komoju-idempotency"];
    const replayKey = key && `${method} ${url.pathname} ${key}`;
    const replay = replayKey && replays.get(replayKey);
    if (replay && replay.sent !== text) throw reusedKey();
    if (replay) return send(res, replay.status, replay.body);
    const body = parse(text, req.headers["content-type"], method, url.pathname);
    checkMetadata(body);
    const request = { body, params: found.params, query: url.searchParams, headers: req.headers };
    const status = found.handler.noContent ? 204 : 200;
    const result = store.transact(
      (state) => found.handler.run(state, request),
      (answer) => checkAnswer(found.entry, status, answer),
    );
    if (replayKey) {
      replays.set(replayKey, { status, body: structuredClone(result), sent: text });
      if (replays.size > MAX_REPLAYS) replays.delete(replays.keys().next().value!);
    }
    send(res, status, result);
  }

  return createServer((req, res) => {
    answer(req, res).catch((error: unknown) => sendFailure(res, error));
  });
}
