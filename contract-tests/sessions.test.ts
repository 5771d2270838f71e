import { describe, expect, it } from "vitest";
import type { SessionCreateRequest } from "../src/index.js";
import { contractClient, violationsOf } from "./support/target.js";

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

// Every operation's statuses and answers are checked by spec-driven.test.ts; these are
// the wire details the spec cannot state, and they also run through `prism proxy`
// against a real KOMOJU (KOMOJU_CONTRACT_UPSTREAM), where `Prefer` cannot.
describe("bodies on the wire", () => {
  it.each(["json", "form"] as const)(
    "%s: a body goes with its content type, and a bodiless POST sends neither",
    async (encoding) => {
      const { client, exchanges } = contractClient({ encoding });
      const created = await client.sessions.create(createBody);
      await client.sessions.retrieve(created.id);
      await client.sessions.cancel(created.id);
      const [create, retrieve, cancel] = exchanges;
      expect(create!.request.headers.get("content-type")).toBe(
        encoding === "json" ? "application/json" : "application/x-www-form-urlencoded",
      );
      expect(violationsOf(create!.response.headers)).toEqual([]);
      expect(retrieve!.request.headers.has("content-type")).toBe(false);
      expect(violationsOf(retrieve!.response.headers)).toEqual([]);
      expect(cancel!.body).toBe("");
      expect(cancel!.request.headers.has("content-type")).toBe(false);
      expect(violationsOf(cancel!.response.headers)).toEqual([]);
    },
  );
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
});
