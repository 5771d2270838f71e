import { describe, expect, it } from "vitest";
import { schemaValidator, violations } from "../test/support/spec.js";
import type { SessionCreateRequest, SessionPayRequest } from "../src/index.js";
import { contractClient, isMock, violationsOf } from "./support/target.js";

const createBody: SessionCreateRequest = {
  amount: 8888,
  currency: "JPY",
  return_url: "https://example.com/done",
  default_locale: "ja",
  email: "test@example.com",
  metadata: { order: "42" },
  payment_types: ["credit_card", "konbini"],
  payment_data: { external_order_num: "order-42", name: "山田 太郎", name_kana: "ヤマダ タロウ" },
};

describe.each(["json", "form"] as const)("every operation, %s-encoded", (encoding) => {
  it("createSession → 200 Session, no violations", async () => {
    const { client, last } = contractClient({ encoding });
    const session = await client.sessions.create(createBody);
    const { request, response } = last();
    expect(response.status).toBe(200);
    expect(violationsOf(response.headers)).toEqual([]);
    expect(request.headers.get("content-type")).toBe(encoding === "json" ? "application/json" : "application/x-www-form-urlencoded");
    expect(violations(schemaValidator("Session"), session)).toEqual([]);
    expect(session.resource).toBe("session");
    expect(session.session_url).toMatch(/^https:\/\//);
  });

  it("getSession → 200 Session, no violations", async () => {
    const { client, last } = contractClient({ encoding });
    const created = await client.sessions.create(createBody);
    const session = await client.sessions.retrieve(created.id);
    expect(last().response.status).toBe(200);
    expect(violationsOf(last().response.headers)).toEqual([]);
    expect(violations(schemaValidator("Session"), session)).toEqual([]);
    expect(session.id).toMatch(/^[a-z0-9]+$/);
  });

  it("cancelSession → 200 cancelled Session, no violations, no body sent", async () => {
    const { client, last } = contractClient({ encoding });
    const created = await client.sessions.create(createBody);
    const session = await client.sessions.cancel(created.id);
    expect(last().response.status).toBe(200);
    expect(violationsOf(last().response.headers)).toEqual([]);
    expect(last().body).toBe("");
    expect(last().request.headers.has("content-type")).toBe(false);
    expect(session.status).toBe("cancelled");
    expect(session.cancelled_at).not.toBeNull();
  });

  // Paying needs a real token or card, which only the mock accepts.
  it.runIf(isMock)("paySession → 200 SessionPayResponse, no violations", async () => {
    const { client, last } = contractClient({ encoding });
    // Prism cannot read a form-encoded `payment_details` object (it is a oneOf); a token
    // string is the form case it can check, and the usual way to pay anyway.
    const body: SessionPayRequest =
      encoding === "json"
        ? { payment_details: { type: "konbini", store: "lawson", email: "test@example.com" } }
        : { payment_details: "tok_1a2b3c4d5e6f7g8h9i0j", fraud_details: { customer_ip: "203.0.113.7" } };
    const result = await client.sessions.pay("e9x5mvx3jkpkofzcg7umfael6", body);
    expect(last().response.status).toBe(200);
    expect(violationsOf(last().response.headers)).toEqual([]);
    expect(violations(schemaValidator("SessionPayResponse"), result)).toEqual([]);
    expect(["pending", "completed", "cancelled", "error"]).toContain(result.status);
  });
});

describe("headers on the wire", () => {
  it("Basic auth with the secret key and an empty password, the API version, and an idempotency key on POST", async () => {
    const { client, exchanges } = contractClient({ apiVersion: "2024-07-15" });
    await client.sessions.create(createBody, { idempotencyKey: "order-42-attempt-1" });
    await client.sessions.retrieve("e9x5mvx3jkpkofzcg7umfael6");
    const [post, get] = exchanges;
    expect(atob(post!.request.headers.get("authorization")!.replace(/^Basic /, ""))).toMatch(/^sk_[^:]+:$/);
    expect(post!.request.headers.get("x-komoju-api-version")).toBe("2024-07-15");
    expect(post!.request.headers.get("x-komoju-idempotency")).toBe("order-42-attempt-1");
    expect(get!.request.headers.get("x-komoju-idempotency")).toBeNull();
    expect(violationsOf(post!.response.headers)).toEqual([]);
  });

  it("the raw typed client works too, with the same transport", async () => {
    const { client, last } = contractClient();
    const { data, error, response } = await client.GET("/api/v1/sessions/{id}", { params: { path: { id: "e9x5mvx3jkpkofzcg7umfael6" } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.resource).toBe("session");
    expect(last().request.headers.get("authorization")).toMatch(/^Basic /);
  });
});
