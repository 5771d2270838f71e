import { createKomojuClient, KomojuUnprocessableEntityError } from "komoju-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, type RunningPrism, startMock, startPrism } from "../../packages/komoju-local/src/index.js";
import { validatorAt } from "../support/spec.js";
import { auth, call } from "./support.js";

// The stateless mock (`npm run mock`, the contract suite's mock) behind the local
// KOMOJU's front: Prism's refusals in KOMOJU's envelope, everything else as Prism answers.
let mock: RunningMock;
let bare: RunningPrism;
beforeAll(async () => {
  [mock, bare] = await Promise.all([startMock({ port: 0, validateResponses: false }), startPrism()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([mock?.stop(), bare?.stop()]);
});

const validError = validatorAt("#/components/schemas/Error");
const valid = { amount: 1000, currency: "JPY", return_url: "https://e.example/r" };

describe("the stateless mock's refusals", { timeout: 30_000 }, () => {
  it("name the missing or invalid parameter in KOMOJU's envelope, Prism's sl-violations passed on as Prism sent them", async () => {
    const { currency: _, ...noCurrency } = valid;
    const missing = await call(mock.url, "POST", "/api/v1/sessions", noCurrency);
    const raw = await call(bare.url, "POST", "/api/v1/sessions", noCurrency);
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({
      error: { code: "missing_parameter", message: "A required parameter (currency) is missing", param: "currency" },
    });
    expect(validError(missing.body)).toBe(true);
    expect(missing.headers.get("sl-violations")).toBe(raw.headers.get("sl-violations"));
    const invalid = await call(mock.url, "POST", "/api/v1/sessions", { ...valid, default_locale: "fr" });
    expect(invalid.body.error).toMatchObject({ code: "invalid_parameter", param: "default_locale" });
    expect(invalid.body.error.message).toContain("allowed values");
  });

  it("blame the oneOf branch the caller chose", async () => {
    const paid = await call(mock.url, "POST", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv/pay", {
      payment_details: { type: "konbini", email: "t@example.com" },
    });
    expect(paid.body.error).toMatchObject({ code: "missing_parameter", param: "payment_details[store]" });
  });

  it("a missing key and an unknown path answer in KOMOJU's envelope too", async () => {
    const unauthorized = await call(mock.url, "GET", "/api/v1/sessions/abc", undefined, {});
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body.error.code).toBe("unauthorized");
    expect(JSON.parse(unauthorized.headers.get("sl-violations") ?? "[]")[0]).toMatchObject({ code: 401 });
    const nowhere = await call(mock.url, "GET", "/api/v1/nothing-here");
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error).toEqual({
      code: "not_found",
      message: "No such endpoint: GET /api/v1/nothing-here is not in the spec the mock serves.",
      param: null,
    });
  });

  it("leaves every answer that is not a refusal as Prism sent it (an error asked for with Prefer included)", async () => {
    for (const [method, path, body, headers] of [
      ["GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", undefined, auth()],
      ["POST", "/api/v1/sessions", valid, { ...auth(), prefer: "code=422" }],
      ["GET", "/api/v1/sessions/x", undefined, { ...auth(), prefer: "code=404" }],
    ] as const) {
      const [fronted, direct] = await Promise.all([
        call(mock.url, method, path, body, headers),
        call(bare.url, method, path, body, headers),
      ]);
      expect(fronted.status, `${method} ${path}`).toBe(direct.status);
      expect(fronted.body).toEqual(direct.body);
    }
  });

  it("the client's error message is the envelope's", async () => {
    const komoju = createKomojuClient({ secretKey: "sk_test_mock", baseUrl: mock.url, maxRetries: 0 });
    const error = await komoju.sessions.create({ ...valid, currency: undefined } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuUnprocessableEntityError);
    expect((error as Error).message).toMatch(
      /^A required parameter \(currency\) is missing \(HTTP 422 missing_parameter\)/,
    );
  });
});
