import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMock, startMock } from "../../packages/komoju-local/src/index.js";
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

/** A raw HTTP exchange, with headers fetch would not send as given (Host). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body = "") {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      { host: hostname, port, method, path, headers: { ...headers, "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const POLLUTING = "__proto__[polluted]=yes&constructor[prototype][polluted]=yes&a[__proto__][polluted]=yes&amount=1";

describe("form keys never reach Object.prototype", { timeout: 30_000 }, () => {
  it("__proto__[x] and constructor[prototype][x] keys, without a key, to the API, the checkout pages and /_local/", async () => {
    const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", valid);
    for (const [base, path] of [
      [komoju.url, "/api/v1/sessions"],
      [komoju.url, `/api/v1/sessions/${session.id}/pay`],
      [mock.url, "/api/v1/sessions"],
      [komoju.url, `/sessions/${session.id}/pay`],
      [komoju.url, `/three_d_secure/${session.id}`],
      [komoju.url, "/_local/payments/x/capture"],
    ] as const) {
      const answer = await raw(base, "POST", path, { ...FORM, host: new URL(base).host }, POLLUTING);
      expect(answer.status, path).toBeLessThan(500);
      expect(({} as Record<string, unknown>).polluted, path).toBeUndefined();
    }
  });
});

describe("a form body Prism cannot read is refused before it", { timeout: 30_000 }, () => {
  it("a malformed percent-escape (%ZZ, %E0%A4%A, %E0 in a key; %E0%A4%A in a value) is a 400 in KOMOJU's envelope, from the local KOMOJU and the mock (in a key it hung the request unanswered, Prism's form reader throwing an unhandled rejection; in a value it was stored as sent)", async () => {
    for (const base of [komoju.url, mock.url])
      for (const body of [
        "a%ZZ=1&amount=1000",
        "%E0%A4%A=1&amount=1000",
        "metadata[%E0]=x&amount=1000",
        "amount=1000&currency=JPY&metadata[a]=%E0%A4%A",
      ]) {
        const answer = await Promise.race([
          raw(base, "POST", "/api/v1/sessions", { ...FORM, ...auth(), host: new URL(base).host }, body),
          new Promise<{ status: number; text: string }>((resolve) =>
            setTimeout(() => resolve({ status: 0, text: "no answer in 5 s" }), 5000),
          ),
        ]);
        expect(answer.status, `${base} ${body}: ${answer.text}`).toBe(400);
        expect(JSON.parse(answer.text).error.code).toBe("bad_request");
      }
  });
});

describe("only this machine, and no other site, drives it", { timeout: 30_000 }, () => {
  it("a Host that is not a loopback name nor the server's own is refused (DNS rebinding)", async () => {
    for (const base of [komoju.url, mock.url]) {
      const { port } = new URL(base);
      for (const host of [`evil.example:${port}`, "evil.example", `127.0.0.1.evil.example:${port}`]) {
        const answer = await raw(base, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", { ...auth(), host });
        expect(answer.status, `${base} ${host}`).toBe(403);
        expect(JSON.parse(answer.text).error.code).toBe("forbidden");
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `127.0.0.2:${port}`, `[::1]:${port}`]) {
        const answer = await raw(base, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", { ...auth(), host });
        expect(answer.status, `${base} ${host}`).toBe(200);
      }
    }
    const page = await raw(komoju.url, "GET", "/sessions/1kv31jmdp5zweqlr2l2odr8wv", { host: "evil.example" });
    expect(page.status).toBe(403);
  });

  it("a browser's cross-origin request to the API or /_local/ is refused; the checkout page's own form posts still work", async () => {
    const host = new URL(komoju.url).host;
    for (const [path, headers] of [
      ["/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", { origin: "https://evil.example" }],
      ["/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", { origin: "null" }],
      ["/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", { "sec-fetch-site": "cross-site" }],
      ["/_local/events", { origin: "http://127.0.0.1:1" }],
      ["/_local/health", { "sec-fetch-site": "cross-site" }],
    ] as const) {
      const answer = await raw(komoju.url, "GET", path, { ...auth(), host, ...headers });
      expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
    }
    const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", valid);
    const paid = await raw(
      komoju.url,
      "POST",
      `/sessions/${session.id}/pay`,
      { ...FORM, host, origin: komoju.url, "sec-fetch-site": "same-origin" },
      "type=credit_card&card=success",
    );
    expect(paid.status).toBe(303);
    expect((await raw(komoju.url, "GET", "/_local/health", { host, origin: komoju.url })).status).toBe(200);
  });
});
