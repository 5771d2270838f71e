import { afterEach, describe, expect, it } from "vitest";
import { ROUTES } from "../../generated/routes.js";
import { createKomojuClient, KomojuInvalidRequestError, KomojuUnprocessableEntityError } from "../../src/index.js";
import type { Routes } from "../../src/resource-methods.js";
import { resourcesFor, type Seen, startServer } from "./server.js";

const SECRET = "sk_test_resources";
const THING = { id: "t1", resource: "thing" };
let server: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(() => server?.close());

async function serve(
  reply: (seen: Seen) => { status?: number; json?: unknown; text?: string } = () => ({ json: THING }),
) {
  server = await startServer(reply);
  return server;
}

// One operation of each shape the generator emits.
const TEST_ROUTES: Routes = {
  things: {
    create: { method: "POST", path: "/api/v1/things", body: "required" },
    update: { method: "PATCH", path: "/api/v1/things/{id}", body: "optional" },
    retrieve: { method: "GET", path: "/api/v1/things/{id}" },
    list: { method: "GET", path: "/api/v1/things", query: true },
    move: { method: "POST", path: "/api/v1/owners/{owner_id}/things/{id}/move" },
    delete: { method: "DELETE", path: "/api/v1/things/{id}", returns: "none" },
  },
};

describe("sessions.* from the generated table", () => {
  it("the generated routes are the four session operations", () => {
    expect(ROUTES.sessions).toEqual({
      create: { method: "POST", path: "/api/v1/sessions", body: "required" },
      retrieve: { method: "GET", path: "/api/v1/sessions/{id}" },
      cancel: { method: "POST", path: "/api/v1/sessions/{id}/cancel" },
      pay: { method: "POST", path: "/api/v1/sessions/{id}/pay", body: "required" },
    });
  });

  it("each method sends its method, path and body, and resolves the parsed body", async () => {
    const { baseUrl, seen } = await serve();
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl });
    const body = { amount: 1000, currency: "JPY" as const, return_url: "https://example.com/done" };
    expect(await komoju.sessions.create(body)).toEqual(THING);
    expect(await komoju.sessions.retrieve("s 1/ü")).toEqual(THING);
    expect(await komoju.sessions.cancel("s1")).toEqual(THING);
    expect(await komoju.sessions.pay("s1", { payment_details: "tok_1" })).toEqual(THING);
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      "POST /api/v1/sessions",
      "GET /api/v1/sessions/s%201%2F%C3%BC",
      "POST /api/v1/sessions/s1/cancel",
      "POST /api/v1/sessions/s1/pay",
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual(body);
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.headers.authorization).toBe(`Basic ${btoa(`${SECRET}:`)}`);
    // No body, no content type on bodiless calls.
    for (const i of [1, 2]) {
      expect(seen[i]!.body).toBe("");
      expect(seen[i]!.headers["content-type"]).toBeUndefined();
    }
    expect(seen[3]!.body).toBe('{"payment_details":"tok_1"}');
  });

  it("form encoding sends Rack-style bodies", async () => {
    const { baseUrl, seen } = await serve();
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl, encoding: "form" });
    await komoju.sessions.create({
      amount: 1000,
      currency: "JPY",
      return_url: "https://example.com/done",
      payment_types: ["konbini", "paypay"],
    });
    expect(seen[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(decodeURIComponent(seen[0]!.body)).toBe(
      "amount=1000&currency=JPY&return_url=https://example.com/done&payment_types[]=konbini&payment_types[]=paypay",
    );
  });

  it("an error status is thrown as its typed error", async () => {
    const { baseUrl } = await serve(() => ({
      status: 422,
      json: { error: { code: "missing_parameter", message: "amount is missing", param: "amount" } },
    }));
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl });
    await expect(komoju.sessions.pay("s1", { payment_details: "tok_1" })).rejects.toMatchObject({
      name: KomojuUnprocessableEntityError.name,
      status: 422,
      code: "missing_parameter",
      param: "amount",
    });
  });
});

describe("generated operations through the real client", () => {
  it("payments.list walks KOMOJU's pages; paymentMethods.list resolves its bare array; refundRequest resolves nothing", async () => {
    const { baseUrl, seen } = await serve(({ url }) => {
      if (url.startsWith("/api/v1/payment_methods")) return { json: [{ type_slug: "konbini" }] };
      if (url.includes("refund_request")) return { status: 200 };
      const page = Number(new URL(url, baseUrl).searchParams.get("page") ?? 1);
      return { json: { resource: "list", data: [{ id: `p${page}` }], total: 2, page, per_page: 1, last_page: 2 } };
    });
    const komoju = createKomojuClient({ secretKey: SECRET, baseUrl });
    const ids = [];
    for await (const payment of komoju.payments.list({ per_page: 1, status: "captured" })) ids.push(payment.id);
    expect(ids).toEqual(["p1", "p2"]);
    expect(await komoju.paymentMethods.list()).toEqual([{ type_slug: "konbini" }]);
    const refund = {
      amount: 100,
      customer_name: "ﾔﾏﾀﾞ ﾀﾛｳ",
      bank_name: "Mizuho",
      branch_number: "001",
      account_type: "normal",
      account_number: "1234567",
      include_payment_method_fee: false,
    } as const;
    await expect(komoju.payments.refundRequest("p1", refund)).resolves.toBeUndefined();
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      "GET /api/v1/payments?per_page=1&status=captured",
      "GET /api/v1/payments?per_page=1&status=captured&page=2",
      "GET /api/v1/payment_methods",
      "POST /api/v1/payments/p1/refund_request",
    ]);
  });
});

describe("path parameters, checked and encoded generically", () => {
  it("refuses what is not one segment's worth of string, naming the method and parameter, before sending", async () => {
    const { baseUrl, seen } = await serve();
    const things = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl }).things!;
    const rule = 'must be a non-empty string, not "." or "..", without lone surrogates.';
    for (const id of [undefined, null, 42, ["a"], "", " \t", ".", "..", "a\uD800b", "\uDC00", "\uDBFF"]) {
      const error = await things.retrieve!(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error).toMatchObject({
        code: "invalid_path_parameter",
        param: "id",
        message: `things.retrieve: id ${rule}`,
      });
    }
    await expect(things.move!("o1", "..")).rejects.toMatchObject({ param: "id", message: `things.move: id ${rule}` });
    await expect(things.move!("", "t1")).rejects.toMatchObject({
      param: "owner_id",
      message: `things.move: owner_id ${rule}`,
    });
    expect(seen).toHaveLength(0);
  });

  it("encodes each parameter into its own segment, in path order", async () => {
    const { baseUrl, seen } = await serve();
    const things = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl }).things!;
    await things.move!("o/1?x", "t#1", { idempotencyKey: "key-1" });
    await things.retrieve!("...");
    await things.retrieve!("😀");
    expect(seen.map((s) => s.url)).toEqual([
      "/api/v1/owners/o%2F1%3Fx/things/t%231/move",
      "/api/v1/things/...",
      "/api/v1/things/%F0%9F%98%80",
    ]);
    expect(seen[0]!.headers["x-komoju-idempotency"]).toBe("key-1");
  });
});

describe("bodies and queries", () => {
  it("optional bodies are sent only when given; queries go in the URL", async () => {
    const { baseUrl, seen } = await serve();
    const things = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl }).things!;
    await things.update!("t1");
    await things.update!("t1", { name: "x" });
    await things.list!({
      status: ["a", "b"],
      start_time: new Date("2026-02-03T04:05:06Z"),
      metadata: { k: "v" },
      skip: undefined,
      per_page: 5,
    });
    await things.list!();
    expect(seen.map((s) => [s.method, decodeURIComponent(s.url), s.body])).toEqual([
      ["PATCH", "/api/v1/things/t1", ""],
      ["PATCH", "/api/v1/things/t1", '{"name":"x"}'],
      ["GET", "/api/v1/things?status[]=a&status[]=b&start_time=2026-02-03T04:05:06.000Z&metadata[k]=v&per_page=5", ""],
      ["GET", "/api/v1/things", ""],
    ]);
  });

  it("refuses bodies and queries that cannot be encoded, with KomojuInvalidRequestError, sending nothing", async () => {
    const { baseUrl, seen } = await serve();
    const json = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl }).things!;
    const form = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl, encoding: "form" }).things!;
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const getter = Object.defineProperty({}, "amount", {
      enumerable: true,
      get: () => {
        throw new Error("getter failed");
      },
    });
    const bodies: unknown[] = [{ amount: 10n }, cycle, getter, undefined, null, "amount=1", [1]];
    for (const things of [json, form]) {
      for (const body of bodies) {
        const error = await things.create!(body).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KomojuInvalidRequestError);
        expect((error as Error).message).toMatch(/^things\.create: (the body|The body|A form body|Cannot form-encode)/);
      }
    }
    // Queries follow the form encoder's rules: what Rack would read differently is refused, not
    // sent (an empty status list would read as no filter at all).
    const rackWouldMisread = [
      { status: [] },
      { m: new Map([["a", "b"]]) },
      { metadata: { "": "x" } },
      { s: "\uD800" },
      { metadata: { at: null } },
    ];
    for (const query of [
      { d: new Date("nope") },
      { f: () => 1 },
      { s: [Symbol("s")] },
      cycle,
      getter,
      "a=1",
      [["a", 1]],
      ...rackWouldMisread,
    ]) {
      const error = await json.list!(query).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error).toMatchObject({
        code: "invalid_query",
        message: expect.stringMatching(/^things\.list: the query /),
      });
    }
    expect(seen).toHaveLength(0);
  });

  it("each route says which JSON its 2xx carries: an array where the spec says so, else an object", async () => {
    const { baseUrl } = await serve(() => ({ json: [{ type: "konbini" }] }));
    const api = resourcesFor(
      {
        kinds: {
          list: { method: "GET", path: "/api/v1/kinds", returns: "array" },
          retrieve: { method: "GET", path: "/api/v1/kinds/{id}" },
        },
      },
      { secretKey: SECRET, baseUrl, maxRetries: 0 },
    ).kinds!;
    await expect(api.list!()).resolves.toEqual([{ type: "konbini" }]);
    await expect(api.retrieve!("k1")).rejects.toMatchObject({ name: "KomojuInvalidResponseError" });
  });

  it("an operation without a response body resolves undefined", async () => {
    const { baseUrl } = await serve(() => ({ status: 204 }));
    const things = resourcesFor(TEST_ROUTES, { secretKey: SECRET, baseUrl }).things!;
    await expect(things.delete!("t1")).resolves.toBeUndefined();
  });
});
