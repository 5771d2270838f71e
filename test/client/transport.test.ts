import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import {
  KomojuAbortError,
  KomojuInvalidResponseError,
  KomojuTimeoutError,
  type RequestEvent,
} from "../../src/index.js";
import { json, raw } from "../support/loopback.js";
import { failure, ID, SECRET, session, useLoopback } from "./harness.js";

describe("maxResponseBytes counts decoded bytes", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  const big = Buffer.alloc(64 * 1024 * 1024, 0x20);
  // Run-length matching and brotli quality 3 compress these runs of one byte as small as
  // the defaults do, for far less CPU.
  const rle = { strategy: constants.Z_RLE };
  it.each([
    ["gzip", gzipSync(big, rle)],
    ["deflate", deflateSync(big, rle)],
    [
      "br",
      brotliCompressSync(Buffer.alloc(8 * 1024 * 1024, 0x20), { params: { [constants.BROTLI_PARAM_QUALITY]: 3 } }),
    ],
  ])(
    "a %s body with Content-Length that decodes past the cap is refused without being buffered",
    async (encoding, compressed) => {
      loopback.server.answer = () =>
        raw(200, { "content-type": "application/json", "content-encoding": encoding }, compressed);
      const before = process.memoryUsage().rss;
      const error = await failure(client({ maxResponseBytes: 256 * 1024 }).sessions.retrieve(ID));
      expect(error).toBeInstanceOf(KomojuInvalidResponseError);
      expect(error.code).toBe("response_too_large");
      expect(loopback.server.received).toHaveLength(1);
      expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    },
  );

  it("an injected fetch whose Content-Length understates its body is still held to the cap", async () => {
    const body = JSON.stringify({ ...session, padding: "x".repeat(5_000) });
    const fetch = async () =>
      new Response(body, { headers: { "content-type": "application/json", "content-length": "1" } });
    const error = await failure(client({ fetch, maxResponseBytes: 100 }).sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(error.code).toBe("response_too_large");
  });

  it("a small gzip body under the cap is read and parsed", async () => {
    loopback.server.answer = () =>
      raw(200, { "content-type": "application/json", "content-encoding": "gzip" }, gzipSync(JSON.stringify(session)));
    await expect(client({ maxResponseBytes: 1024 }).sessions.retrieve(ID)).resolves.toEqual(session);
  });
});

describe("hooks", () => {
  const loopback = useLoopback();
  const { client, unhandled } = loopback;

  it("hooks see authorization, proxy-authorization, cookie, x-api-key and other credentials redacted", async () => {
    const seen: RequestEvent[] = [];
    const komoju = client({
      headers: { "x-api-key": "k1", "x-auth-token": "k2", "x-client-secret": "k3", "x-trace": "visible" },
      hooks: { onRequest: (e) => void seen.push(e) },
    });
    await komoju.sessions.retrieve(ID);
    expect(seen[0]!.headers).toMatchObject({
      authorization: "[REDACTED]",
      "x-api-key": "[REDACTED]",
      "x-auth-token": "[REDACTED]",
      "x-client-secret": "[REDACTED]",
      "x-trace": "visible",
    });
    expect(loopback.server.received[0]!.headers["x-api-key"]).toBe("k1");
  });

  it("async hooks that reject cause no unhandled rejection and no failure", async () => {
    const komoju = client({
      hooks: {
        onRequest: async () => {
          throw new Error("logger down");
        },
        onResponse: () => Promise.reject(new Error("logger down")),
      },
    });
    await expect(komoju.sessions.retrieve(ID)).resolves.toEqual(session);
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
  });
});

describe("a 2xx body must be what the operation declares", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it.each([
    ["empty", ""],
    ["null", "null"],
    ["a number", "5"],
    ["an array", "[]"],
    ["a string", '"session"'],
  ])("%s from retrieve: KomojuInvalidResponseError, not resolved as the resource", async (_what, body) => {
    loopback.server.answer = () => raw(200, { "content-type": "application/json" }, body);
    const error = await failure(client().sessions.retrieve(ID));
    expect(error).toBeInstanceOf(KomojuInvalidResponseError);
    expect(["invalid_json", "unexpected_body"]).toContain(error.code);
    expect(loopback.server.received).toHaveLength(1);
  });

  it.each([204, 205])("a %i where the operation declares an object: KomojuInvalidResponseError", async (status) => {
    loopback.server.answer = () => raw(status, {});
    expect((await failure(client().sessions.retrieve(ID))).code).toBe("invalid_json");
  });

  it("expect lets an operation declare an array, any JSON or no body", async () => {
    const send = loopback.transport({ maxResponseBytes: 1024 });
    const path = "/api/v1/payment_methods";
    const where = "paymentMethods.list";
    loopback.server.answer = () => json(200, [{ type_slug: "konbini" }]);
    expect((await send({ method: "GET", path, where, expect: "array" })).data).toEqual([{ type_slug: "konbini" }]);
    expect(
      await failure(
        send({ method: "GET", path, where, expect: "array" }).then(() =>
          send({ method: "GET", path, where, expect: "object" }),
        ),
      ),
    ).toBeInstanceOf(KomojuInvalidResponseError);
    loopback.server.answer = () => raw(200, {}, "");
    expect((await send({ method: "POST", path, where, expect: "none" })).data).toBeUndefined();
    expect((await send({ method: "GET", path, where, expect: "json" })).data).toBeUndefined();
    loopback.server.answer = () => raw(200, { "content-type": "text/csv" }, "a,b\n1,2\n");
    expect((await send({ method: "GET", path, where, expect: "none" })).text).toBe("a,b\n1,2\n");
  });
});

describe("timeouts and aborts", () => {
  const loopback = useLoopback();
  const { client, unhandled } = loopback;

  it("an injected fetch that ignores its signal still ends the attempt: at timeoutMs before or after the headers, at once on the caller's abort", async () => {
    const never = () => new Promise<never>(() => undefined);
    const hangs = () => never();
    const endlessBody = async () => new Response(new ReadableStream({ pull: never }), { status: 200 });
    for (const fetch of [hangs, endlessBody]) {
      const started = performance.now();
      const error = await failure(client({ fetch, timeoutMs: 50, maxRetries: 0 }).sessions.retrieve(ID));
      expect(error).toBeInstanceOf(KomojuTimeoutError);
      expect(performance.now() - started).toBeLessThan(1_500);
      const controller = new AbortController();
      const aborted = client({ fetch, maxRetries: 0 }).sessions.retrieve(ID, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      expect(await failure(aborted)).toBeInstanceOf(KomojuAbortError);
    }
    expect(unhandled).toEqual([]);
  });

  it("a response that comes after its attempt gave up has its body cancelled, not left holding the connection", async () => {
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
    };
    const late = () =>
      new Promise<Response>((resolve) =>
        setTimeout(() => resolve(new Response(new ReadableStream({ cancel }), { status: 200 })), 100),
      );
    expect(await failure(client({ fetch: late, timeoutMs: 20, maxRetries: 0 }).sessions.retrieve(ID))).toBeInstanceOf(
      KomojuTimeoutError,
    );
    await vi.waitFor(() => expect(cancelled).toBe(true), { timeout: 2_000 });
    expect(unhandled).toEqual([]);
  });

  it("an abort from within onRequest ends the call at once, not at timeoutMs", async () => {
    const controller = new AbortController();
    const hangs = () => new Promise<never>(() => undefined);
    const started = performance.now();
    const call = client({
      fetch: hangs,
      timeoutMs: 5_000,
      hooks: { onRequest: () => controller.abort() },
    }).sessions.retrieve(ID, { signal: controller.signal });
    expect(await failure(call)).toBeInstanceOf(KomojuAbortError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("more than 10 concurrent calls on one signal print no MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const { signal } = new AbortController();
      const komoju = client();
      await Promise.all(Array.from({ length: 25 }, () => komoju.sessions.retrieve(ID, { signal })));
      await new Promise((r) => setTimeout(r, 20));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
      expect(loopback.server.received).toHaveLength(25);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("aborting that signal still ends every one of them", async () => {
    loopback.server.answer = () => "hang";
    const controller = new AbortController();
    const komoju = client();
    const calls = Array.from({ length: 12 }, () =>
      failure(komoju.sessions.retrieve(ID, { signal: controller.signal })),
    );
    await vi.waitFor(() => expect(loopback.server.received).toHaveLength(12), { interval: 5 });
    controller.abort();
    expect((await Promise.all(calls)).map((e) => e.code)).toEqual(Array(12).fill("aborted"));
  });
});

describe("User-Agent and logging", () => {
  const loopback = useLoopback();
  const { client } = loopback;

  it("sends User-Agent komoju-ts/<package.json version> (node/<version>) on every request", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    loopback.server.answer = (_r, i) => (i === 0 ? json(503, {}) : json(200, session));
    await client().sessions.retrieve(ID);
    expect(loopback.server.received.map((r) => r.headers["user-agent"])).toEqual(
      Array(2).fill(`komoju-ts/${version} (node/${process.versions.node})`),
    );
  });

  it.each([
    ["KOMOJU_LOG=debug", {}, "debug"],
    ["logLevel: 'debug'", { logLevel: "debug" as const }, undefined],
  ])("%s prints one redacted line per attempt", async (_what, options, env) => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "debug").mockImplementation((line: string) => void lines.push(line));
    vi.stubEnv("KOMOJU_LOG", env);
    try {
      loopback.server.answer = (_r, i) => (i === 0 ? json(500, {}) : json(200, session));
      await client({ ...options, headers: { "x-api-key": "k1" } }).sessions.retrieve(ID);
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^komoju-ts GET ${loopback.server.url}/api/v1/sessions/${ID} attempt 1: 500 in \\d+ ms, retry in \\d+ ms`,
      ),
    );
    expect(lines[1]).toMatch(/attempt 2: 200 in \d+ ms/);
    for (const line of lines) {
      expect(line).not.toContain(btoa(`${SECRET}:`));
      expect(line).not.toContain("k1");
      expect(line).toContain('"authorization":"[REDACTED]"');
    }
  });

  it("prints nothing without KOMOJU_LOG or logLevel", async () => {
    const spy = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    vi.stubEnv("KOMOJU_LOG", undefined);
    try {
      await client().sessions.retrieve(ID);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
