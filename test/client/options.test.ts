import { describe, expect, it, vi } from "vitest";
import { createKomojuClient, type KomojuClientOptions, KomojuInvalidRequestError } from "../../src/index.js";
import { json } from "../support/loopback.js";
import { failure, ID, session, useLoopback } from "./harness.js";

const SECRET = "sk_test_super_secret_value";
let calls = 0;
const fetch = async () => {
  calls++;
  return new Response("{}");
};

function refusal(options: Partial<KomojuClientOptions> | undefined): KomojuInvalidRequestError {
  try {
    createKomojuClient(options as KomojuClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    return error as KomojuInvalidRequestError;
  }
  throw new Error("expected createKomojuClient to refuse these options");
}

describe("createKomojuClient refuses bad options before anything is sent", () => {
  it.each([
    ["no options", undefined, /secretKey/],
    ["an empty secret key", { secretKey: "" }, /secretKey is required/],
    ["a secret key that is not a string", { secretKey: 42 as unknown as string }, /secretKey is required/],
    ["a secret key with a trailing newline", { secretKey: `${SECRET}\n` }, /stray newline/],
    ["a secret key with a colon", { secretKey: "sk_test:x" }, /':'/],
    ["a secret key with non-ASCII", { secretKey: "sk_テスト" }, /non-ASCII/],
    [
      "an empty baseUrl",
      { secretKey: SECRET, baseUrl: "" },
      /^baseUrl must be an absolute URL such as https:\/\/komoju.com\.$/,
    ],
    [
      "a baseUrl that is not a URL",
      { secretKey: SECRET, baseUrl: "komoju.com" },
      /^baseUrl must be an absolute URL such as https:\/\/komoju.com\.$/,
    ],
    // Never quoted: a secret key swapped into baseUrl by mistake must not reach the message.
    [
      "a secret key passed as baseUrl",
      { secretKey: SECRET, baseUrl: SECRET },
      /^baseUrl must be an absolute URL such as https:\/\/komoju.com\.$/,
    ],
    [
      "an unparseable baseUrl with a key in its userinfo",
      { secretKey: SECRET, baseUrl: `https://${SECRET}:x@[komoju.com` },
      /^baseUrl must be an absolute URL such as https:\/\/komoju.com\.$/,
    ],
    [
      "a baseUrl that is not a string",
      {
        secretKey: SECRET,
        baseUrl: {
          toString: () => {
            throw new Error("boom");
          },
        } as never,
      },
      /baseUrl must be an absolute URL/,
    ],
    ["plain http to a remote host", { secretKey: SECRET, baseUrl: "http://komoju.com" }, /only for loopback/],
    ["plain http to a private address", { secretKey: SECRET, baseUrl: "http://10.0.0.5:4010" }, /only for loopback/],
    ["another scheme", { secretKey: SECRET, baseUrl: "ftp://komoju.com" }, /must use https/],
    ["credentials in the URL", { secretKey: SECRET, baseUrl: "https://sk_x:@komoju.com" }, /credentials/],
    ["a query string", { secretKey: SECRET, baseUrl: "https://komoju.com/?a=1" }, /query string/],
    ["a malformed API version", { secretKey: SECRET, apiVersion: "latest" }, /apiVersion/],
    ["an unknown encoding", { secretKey: SECRET, encoding: "xml" as "json" }, /encoding/],
    [
      "a header the client owns",
      { secretKey: SECRET, headers: { Authorization: "Basic x" } },
      /headers must not set Authorization/,
    ],
    [
      "a proxy credential header",
      { secretKey: SECRET, headers: { "Proxy-Authorization": "Basic x" } },
      /headers must not set Proxy-Authorization/,
    ],
    [
      "the idempotency header",
      { secretKey: SECRET, headers: { "X-KOMOJU-IDEMPOTENCY": "k" } },
      /must not set X-KOMOJU-IDEMPOTENCY: the client does \(pass idempotencyKey\)/,
    ],
    [
      "transfer-encoding",
      { secretKey: SECRET, headers: { "transfer-encoding": "chunked" } },
      /must not set transfer-encoding/,
    ],
    [
      "a header name with a space",
      { secretKey: SECRET, headers: { "x a": "1" } },
      /headers must have valid header names/,
    ],
    [
      "a header value with CR/LF",
      { secretKey: SECRET, headers: { "x-a": "1\r\nx-b: 2" } },
      /headers.x-a must be a string of printable ASCII/,
    ],
    [
      "a non-ASCII header value",
      { secretKey: SECRET, headers: { "x-a": "日本" } },
      /headers.x-a must be a string of printable ASCII/,
    ],
    [
      "a header value that is not a string",
      { secretKey: SECRET, headers: { "x-a": 1 as never } },
      /headers.x-a must be a string/,
    ],
    ["headers that are a string", { secretKey: SECRET, headers: "x-a: 1" as never }, /headers must be an object/],
    ["a negative retry count", { secretKey: SECRET, maxRetries: -1 }, /maxRetries must be an integer from 0 to 10/],
    [
      "an endless retry count",
      { secretKey: SECRET, maxRetries: Infinity },
      /maxRetries must be an integer from 0 to 10/,
    ],
    ["a zero timeout", { secretKey: SECRET, timeoutMs: 0 }, /timeoutMs must be an integer from 1 to 2147483647/],
    [
      "a timeout setTimeout would overflow",
      { secretKey: SECRET, timeoutMs: 2 ** 31 },
      /timeoutMs must be an integer from 1 to 2147483647/,
    ],
    [
      "a Retry-After cap setTimeout would overflow",
      { secretKey: SECRET, retryDelay: { retryAfterCapMs: 2 ** 32 } },
      /retryDelay.retryAfterCapMs must be an integer from 0 to 2147483647/,
    ],
    ["an unknown log level", { secretKey: SECRET, logLevel: "trace" as never }, /logLevel must be "debug" or "off"/],
  ])("%s", (_what, options, message) => {
    const error = refusal(options ? { fetch, ...options } : undefined);
    expect(error.message).toMatch(message);
    expect(error.code).toBe("invalid_client_options");
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toContain(SECRET);
    expect(error.message).not.toContain("日本");
    expect(calls).toBe(0);
  });

  it.each([
    "http://127.0.0.1:4010",
    "http://localhost:4010",
    "http://[::1]:4010",
    "https://komoju.com",
    "https://proxy.example.com/komoju/",
  ])("accepts %s", (baseUrl) => {
    expect(() => createKomojuClient({ secretKey: SECRET, baseUrl, fetch })).not.toThrow();
  });
});

it("treats null headers and retryDelay (from plain JavaScript) as absent rather than crashing", () => {
  expect(() =>
    createKomojuClient({ secretKey: SECRET, fetch, headers: null as never, retryDelay: null as never }),
  ).not.toThrow();
});

describe("bad arguments to the helpers reject with a typed error, nothing sent", () => {
  const client = createKomojuClient({ secretKey: SECRET, fetch });
  it.each([
    ["retrieve('')", () => client.sessions.retrieve("")],
    ["retrieve(undefined)", () => client.sessions.retrieve(undefined as unknown as string)],
    ["cancel('  ')", () => client.sessions.cancel("  ")],
    ["pay('', body)", () => client.sessions.pay("", { payment_details: "tok_x" })],
    ["create(null)", () => client.sessions.create(null as never)],
    ["pay(id, 'string')", () => client.sessions.pay("abc", "tok_x" as never)],
    [
      "an idempotency key with a space",
      () =>
        client.sessions.create({ amount: 1, currency: "JPY", return_url: "https://e.com" }, { idempotencyKey: "a b" }),
    ],
  ])("%s", async (_what, call) => {
    await expect(call()).rejects.toBeInstanceOf(KomojuInvalidRequestError);
    expect(calls).toBe(0);
  });
});

describe("per-call options are checked before anything is sent", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each([
    ["Authorization", { Authorization: "Basic ZXZpbDo=" }, /must not set Authorization/],
    ["proxy-authorization", { "proxy-authorization": "Basic x" }, /must not set proxy-authorization/],
    ["cookie", { cookie: "a=b" }, /must not set cookie/],
    ["the idempotency header", { "X-KOMOJU-IDEMPOTENCY": "mine" }, /pass idempotencyKey/],
    ["content-type", { "content-type": "text/plain" }, /must not set content-type/],
    ["content-length", { "content-length": "1" }, /must not set content-length/],
    ["host", { host: "evil.example" }, /must not set host/],
    ["transfer-encoding", { "transfer-encoding": "chunked" }, /must not set transfer-encoding/],
    [
      "a value with CR/LF",
      { "x-note": "a\r\nx-injected: 1" },
      /options.headers.x-note must be a string of printable ASCII/,
    ],
    ["a non-ASCII value", { "x-note": "日本語" }, /printable ASCII/],
    ["a name with a space", { "x note": "1" }, /valid header names/],
    ["a name with a colon", { "x:note": "1" }, /valid header names/],
    ["a value that is a number", { "x-note": 1 as unknown as string }, /must be a string/],
  ])(
    "a per-call header %s is refused with KomojuInvalidRequestError, nothing sent",
    async (_what, headers, message) => {
      for (const call of [
        () => client().sessions.retrieve(ID, { headers }),
        () =>
          client().sessions.create({ amount: 1, currency: "JPY", return_url: "https://e.com" } as never, { headers }),
      ]) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(KomojuInvalidRequestError);
        expect(error.message).toMatch(message);
        expect(error.message).not.toContain("ZXZpbDo");
      }
      expect(loopback.server.received).toEqual([]);
    },
  );

  it("a per-call Authorization can never replace the key, whatever its case", async () => {
    await failure(client().sessions.retrieve(ID, { headers: { AUTHORIZATION: "Basic ZXZpbDo=" } }));
    expect(loopback.server.received).toEqual([]);
  });

  it("accepts a Headers instance and [name, value] pairs, and sends them", async () => {
    await client().sessions.retrieve(ID, { headers: new Headers({ "x-a": "1" }) as never });
    await client().sessions.retrieve(ID, { headers: [["x-b", "2"]] as never });
    expect(loopback.server.received.map((r) => [r.headers["x-a"], r.headers["x-b"]])).toEqual([
      ["1", undefined],
      [undefined, "2"],
    ]);
  });

  it("options null is no options; options { signal: 'x' }, a string or a bad idempotencyKey type are refused, nothing sent", async () => {
    await expect(client().sessions.retrieve(ID, null as never)).resolves.toEqual(session);
    loopback.server.received.length = 0;
    for (const options of [{ signal: "x" }, { signal: {} }, "x", 5, { idempotencyKey: 5 }]) {
      const error = await failure(client().sessions.retrieve(ID, options as never));
      expect(error).toBeInstanceOf(KomojuInvalidRequestError);
      expect(error.code).toBe("invalid_request_options");
    }
    expect(loopback.server.received).toEqual([]);
  });

  it("options with a throwing getter reject with KomojuInvalidRequestError instead of throwing a TypeError; nothing sent", async () => {
    const hostile = Object.defineProperty({}, "timeoutMs", {
      get: () => {
        throw new Error("getter");
      },
      enumerable: true,
    });
    const error = await failure(client().sessions.retrieve(ID, hostile as never));
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(loopback.server.received).toHaveLength(0);
  });

  it.each([
    ["maxRetries: Infinity", { maxRetries: Infinity }],
    ["maxRetries: NaN", { maxRetries: NaN }],
    ["maxRetries: -1", { maxRetries: -1 }],
    ["maxRetries: 1.5", { maxRetries: 1.5 }],
    ["maxRetries: 11", { maxRetries: 11 }],
    ["timeoutMs: 0", { timeoutMs: 0 }],
    ["timeoutMs: -1", { timeoutMs: -1 }],
    ["timeoutMs: NaN", { timeoutMs: NaN }],
    ["timeoutMs: Infinity", { timeoutMs: Infinity }],
    ["timeoutMs: 2^31 (setTimeout would fire after 1 ms)", { timeoutMs: 2 ** 31 }],
    ["timeoutMs: '5'", { timeoutMs: "5" as unknown as number }],
  ])("%s is refused before anything is sent", async (_what, options) => {
    const error = await failure(client().sessions.retrieve(ID, options));
    expect(error).toBeInstanceOf(KomojuInvalidRequestError);
    expect(error.message).toMatch(/options\.(maxRetries|timeoutMs) must be an integer from/);
    expect(loopback.server.received).toEqual([]);
  });

  it("the largest timeout setTimeout keeps is accepted and does not fire early", async () => {
    loopback.server.answer = (_r, i) => (i === 0 ? "hang" : json(200, session));
    const controller = new AbortController();
    const pending = client().sessions.retrieve(ID, { timeoutMs: 2 ** 31 - 1, signal: controller.signal });
    await vi.waitFor(() => expect(loopback.server.received).toHaveLength(1), { interval: 5 });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    expect((await failure(pending)).code).toBe("aborted");
  });
});
