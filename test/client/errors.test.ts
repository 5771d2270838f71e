import { describe, expect, it } from "vitest";
import { apiErrorFrom, KomojuPaymentError } from "../../src/errors.js";
import {
  createKomojuClient,
  KomojuBadRequestError,
  KomojuConnectionError,
  type KomojuError,
  KomojuUnprocessableEntityError,
} from "../../src/index.js";
import { json, raw, startLoopback } from "../support/loopback.js";
import { failure, ID, SECRET, useLoopback } from "./harness.js";

describe("an error answer becomes its typed KomojuError", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each([
    ["a message that is an object", { error: { code: "bad_request", message: { toString: 1 }, param: ["x"] } }],
    ["a message that is a number", { error: { code: "bad_request", message: 5 } }],
    ["a code that is not a string", { error: { code: 42, message: "x" } }],
    ["error: null", { error: null }],
    ["a bare string", "oops"],
    ["deeply nested JSON", "[".repeat(100_000) + "]".repeat(100_000)],
  ])("a 400 with %s: KomojuBadRequestError", async (_what, body) => {
    loopback.server.answer = () => json(400, body);
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuBadRequestError);
    expect(error.status).toBe(400);
    expect(typeof error.message).toBe("string");
  });

  it.each(["card_declined", "insufficient_funds", "card_expired", "bad_verification_value"])(
    "a 502 %s is thrown once as KomojuPaymentError carrying the code",
    async (code) => {
      loopback.server.answer = () => json(502, { error: { code, message: "The card was declined", param: null } });
      const error = await failure(client().sessions.pay(ID, { payment_details: "tok_x" } as never));
      expect(error).toBeInstanceOf(KomojuPaymentError);
      expect(error.code).toBe(code);
      expect(error.status).toBe(502);
      expect(loopback.server.received).toHaveLength(1);
    },
  );

  it("a 402 request_failed is a KomojuPaymentError", async () => {
    loopback.server.answer = () => json(402, { error: { code: "request_failed", message: "Request failed" } });
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuPaymentError);
    expect(loopback.server.received).toHaveLength(1);
  });
});

describe("messages say what failed and where", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it("messages do not say 'session' where the operation is not a session's", async () => {
    const send = loopback.transport({ maxRetries: 0, timeoutMs: 30, maxResponseBytes: 1024 });
    const errors: KomojuError[] = [];
    for (const answer of [
      raw(200, {}, "[]"),
      raw(200, {}, "<html>"),
      raw(200, {}, "x".repeat(2048)),
      "hang" as const,
    ]) {
      loopback.server.answer = () => answer;
      errors.push(
        await failure(
          send({ method: "GET", path: "/api/v1/payments/pay_1", expect: "object", where: "payments.retrieve" }),
        ),
      );
    }
    for (const status of [400, 401, 402, 403, 404, 409, 422, 429, 500, 502, 503, 504])
      errors.push(apiErrorFrom({ status, headers: new Headers(), text: "{}", data: {} }));
    expect(errors).toHaveLength(16);
    for (const error of errors) expect(error.message).not.toMatch(/session/i);
  });

  it("a connection error names the method, the origin, the cause code and the attempts, never the key", async () => {
    const gone = await startLoopback();
    const url = gone.url;
    await gone.close();
    const error = await failure(
      createKomojuClient({
        secretKey: SECRET,
        baseUrl: url,
        retryDelay: { baseDelayMs: 1, maxDelayMs: 1 },
      }).sessions.retrieve(ID),
    );
    expect(error).toBeInstanceOf(KomojuConnectionError);
    expect(error.message).toBe(
      `GET /api/v1/sessions/${ID}: could not reach ${url} (ECONNREFUSED) after 3 attempts. Is the local KOMOJU running? Start it with \`npx komoju-local\`.`,
    );
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it.each([
    [
      "a certificate error",
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }),
      }),
      "CERT_HAS_EXPIRED",
    ],
    [
      "a DNS failure",
      Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND komoju.com"), { code: "ENOTFOUND" }),
      }),
      "ENOTFOUND",
    ],
    [
      "an AggregateError of addresses",
      Object.assign(new TypeError("fetch failed"), {
        cause: new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })]),
      }),
      "ECONNREFUSED",
    ],
    ["no code at all", new TypeError("fetch failed"), "fetch failed"],
  ])("a connection error from %s names its cause code", async (_what, thrown, code) => {
    const komoju = createKomojuClient({
      secretKey: SECRET,
      maxRetries: 1,
      retryDelay: { baseDelayMs: 0, maxDelayMs: 0 },
      fetch: () => Promise.reject(thrown),
    });
    const error = await failure(komoju.sessions.cancel(ID));
    expect(error).toBeInstanceOf(KomojuConnectionError);
    expect(error.message).toBe(
      `POST /api/v1/sessions/${ID}/cancel: could not reach https://komoju.com (${code}) after 2 attempts.`,
    );
  });

  it("a refusal's message is KOMOJU's own: headers a mock adds (Prism's sl-violations) are not read", async () => {
    const violations = [{ location: ["request", "body", "return_url"], code: "required", message: "must have it" }];
    loopback.server.answer = () =>
      json(
        422,
        {
          error: {
            code: "missing_parameter",
            message: "A required parameter (return_url) is missing",
            param: "return_url",
          },
        },
        { "sl-violations": JSON.stringify(violations) },
      );
    const error = await failure(client().sessions.create({ amount: 1 } as never));
    expect(error).toBeInstanceOf(KomojuUnprocessableEntityError);
    expect(error.message).toBe("A required parameter (return_url) is missing (HTTP 422 missing_parameter)");
    expect(error.param).toBe("return_url");
  });
});
