import { describe, expect, it } from "vitest";
import { createKomojuClient, KomojuInvalidRequestError, KomojuInvalidResponseError } from "../../src/index.js";
import { json, raw, startLoopback } from "../support/loopback.js";
import { failure, ID, SECRET, session, useLoopback } from "./harness.js";

describe("the raw client sends the key only to baseUrl", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it('komoju.GET(path, { baseUrl: "http://evil.example" }) sends nothing there, and nothing at all', async () => {
    const urls: string[] = [];
    const komoju = client({
      fetch: async (request) => {
        urls.push(request.url);
        return new Response("{}");
      },
    });
    const error = await failure(
      komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl: "http://evil.example" }),
    );
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(error.code).toBe("url_outside_base_url");
    expect(urls).toEqual([]);
  });

  it("refuses another loopback server too, through the global fetch", async () => {
    const evil = await startLoopback();
    try {
      const komoju = client();
      for (const baseUrl of [evil.url, loopback.server.url.replace("127.0.0.1", "localhost")]) {
        expect(
          await failure(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl })),
        ).toBeInstanceOf(KomojuInvalidRequestError);
      }
      expect(evil.received).toEqual([]);
      expect(loopback.server.received).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it("refuses a look-alike host and a path outside baseUrl's", async () => {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      return new Response("{}");
    };
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl: "https://komoju.com/proxy", fetch });
    for (const baseUrl of [
      "https://komoju.com.evil.example/proxy",
      "https://komoju.com/proxyx",
      "https://komoju.com",
    ]) {
      expect(
        await failure(komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, baseUrl })),
      ).toBeInstanceOf(KomojuInvalidRequestError);
    }
    await komoju.GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } });
    expect(urls).toEqual([`https://komoju.com/proxy/api/v1/sessions/${ID}`]);
  });

  it("a raw path with /../ or %2e%2e cannot walk out of baseUrl's path", async () => {
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      return new Response("{}");
    };
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl: "https://proxy.example/komoju", fetch });
    for (const path of ["/../admin/x", "/%2e%2e/admin/x", "/api/../../admin"]) {
      const error = await failure((komoju.GET as (url: string) => Promise<unknown>)(path));
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code).toBe("url_outside_base_url");
    }
    expect(urls).toEqual([]);
  });

  it("the raw client has no middleware (openapi-fetch's use/eject) that could rewrite where the key goes", () => {
    const komoju = client();
    expect("use" in komoju).toBe(false);
    expect("eject" in komoju).toBe(false);
  });
});

describe("the raw client's headers", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each([
    "Authorization",
    "proxy-authorization",
    "cookie",
    "user-agent",
    "transfer-encoding",
    "content-length",
    "connection",
    "host",
  ])("the raw client with a %s header: KomojuInvalidRequestError, nothing sent, not retried", async (name) => {
    const error = await failure(
      client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, headers: { [name]: "1" } }),
    );
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(loopback.server.received).toEqual([]);
  });

  it("the raw client with a CR/LF or non-Latin-1 header value: KomojuInvalidRequestError that does not quote it, nothing sent", async () => {
    for (const value of ["a\r\nx-injected: sk_live_x", "日本"]) {
      const error = await failure(
        client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } }, headers: { "x-note": value } }),
      );
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.message).not.toContain("sk_live_x");
    }
    expect(loopback.server.received).toEqual([]);
  });

  it("the raw client still takes an idempotency key and the API version as headers", async () => {
    loopback.server.answer = () => json(200, session);
    await client().POST("/api/v1/sessions/{id}/cancel", {
      params: { path: { id: ID } },
      headers: { "X-KOMOJU-IDEMPOTENCY": "order-1-cancel", "X-KOMOJU-API-VERSION": "2024-07-15" },
    });
    expect(loopback.server.received[0]!.headers).toMatchObject({
      "x-komoju-idempotency": "order-1-cancel",
      "x-komoju-api-version": "2024-07-15",
      authorization: `Basic ${btoa(`${SECRET}:`)}`,
    });
  });
});

describe("the raw client's methods and answers", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each([600, 999])("the raw client on status %i: KomojuInvalidResponseError, not retried", async (status) => {
    loopback.server.answer = () => json(status, {});
    const error = await failure(client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } }));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(error.code).toBe("invalid_status");
    expect(loopback.server.received).toHaveLength(1);
  });

  it("a raw request with a non-string method rejects with KomojuInvalidRequestError instead of throwing a TypeError; nothing sent", async () => {
    const raw = client().request as unknown as (method: unknown, url: string) => Promise<unknown>;
    const promise = Promise.resolve().then(() => raw(123, "/api/v1/sessions/{id}"));
    expect(await failure(promise)).toBeInstanceOf(KomojuInvalidRequestError);
    expect(loopback.server.received).toHaveLength(0);
  });

  it("a raw method outside the spec's (malformed, CONNECT, TRACE) rejects with KomojuInvalidRequestError, not a connection error, and is never sent as another method", async () => {
    const raw = client().request as unknown as (method: string, url: string) => Promise<unknown>;
    for (const method of ["GE T", "GET\r\nX-Evil: 1", "CONNECT", "trace", "PROPFIND"]) {
      const error = await failure(raw(method, "/api/v1/sessions"));
      expect(error, method).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code, method).toBe("invalid_method");
    }
    expect(loopback.server.received).toHaveLength(0);
    await raw("get", "/api/v1/sessions/e9x5mvx3jkpkofzcg7umfael6");
    expect(loopback.server.received.map((r) => r.method)).toEqual(["GET"]);
  });

  it("the raw client on 205 with a body: a response without one, no SyntaxError", async () => {
    loopback.server.answer = () => json(205, "not json at all");
    const { data, response } = await client().POST("/api/v1/sessions/{id}/cancel", { params: { path: { id: ID } } });
    expect(response.status).toBe(205);
    expect(data).toBeUndefined();
  });

  it("the raw client on a 200 that is not JSON: KomojuInvalidResponseError", async () => {
    loopback.server.answer = () => raw(200, { "content-type": "application/json" }, "<html>");
    expect(await failure(client().GET("/api/v1/sessions/{id}", { params: { path: { id: ID } } }))).toBeInstanceOf(
      KomojuInvalidResponseError,
    );
  });
});

describe("after a request has left, a failure is never 'nothing was sent'", () => {
  const loopback = useLoopback();

  /** A response whose status line carries a reason phrase in UTF-8, as a localising proxy sends it. */
  const localised = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    return Buffer.from(
      `HTTP/1.1 ${status} 成功\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  };

  it("a processed POST answered '200 成功' resolves with its data, as the resource method does", async () => {
    loopback.server.answer = () => localised(200, session);
    const komoju = loopback.client();
    const { data, error, response } = await komoju.POST("/api/v1/sessions/{id}/cancel", {
      params: { path: { id: ID } },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual(session);
    expect(response.status).toBe(200);
    expect(await komoju.sessions.cancel(ID)).toEqual(session);
  });

  it("an error answered '422 成功' is the raw client's error, not a refusal of the input", async () => {
    const envelope = { error: { code: "not_cancellable", message: "cannot", param: null } };
    loopback.server.answer = () => localised(422, envelope);
    const { data, error, response } = await loopback.client().POST("/api/v1/sessions/{id}/cancel", {
      params: { path: { id: ID } },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual(envelope);
    expect(response.status).toBe(422);
    expect(loopback.server.received).toHaveLength(1);
  });
});
