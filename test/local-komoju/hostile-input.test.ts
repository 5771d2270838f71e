import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../../local-komoju/index.js";
import { auth, call, type LocalKomoju, startLocalKomoju } from "./support.js";

// Requests meant to break the local KOMOJU (and the stateless mock, which shares its
// front): each test names what it once did to the process or the machine.
let komoju: LocalKomoju;
let mock: RunningMock;
beforeAll(async () => {
  [komoju, mock] = await Promise.all([startLocalKomoju(), startMock({ port: 0, validateResponses: false })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([komoju?.stop(), mock?.stop()]);
});

const valid = { amount: 1000, currency: "JPY", return_url: "https://e.example/r" };

describe("one request never kills the process", { timeout: 30_000 }, () => {
  it("a JSON property named 日本 with a key: refused in KOMOJU's envelope, Prism's finding in a header-safe sl-violations (it used to exit the process)", async () => {
    for (const base of [komoju.url, mock.url]) {
      const refused = await call(base, "POST", "/api/v1/sessions", { ...valid, 日本: "x" });
      expect(refused.status, base).toBe(422);
      expect(refused.body.error).toMatchObject({ code: "invalid_parameter", param: "日本" });
      expect(JSON.stringify(JSON.parse(refused.headers.get("sl-violations") ?? "[]"))).toContain("日本");
      expect((await call(base, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv")).status).toBe(200);
    }
  });
});
