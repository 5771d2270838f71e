import { createHmac } from "node:crypto";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { loadWithCrypto, restoreCryptoAfterAll } from "./crypto-paths.js";

// verifyWebhook hashes with node:crypto where the runtime has it and with Web Crypto
// elsewhere (Cloudflare Workers); every kind of raw body must get the same answer on both.

restoreCryptoAfterAll();

const SECRET = "whsec_raw_body";
const body = JSON.stringify({
  id: "evt_raw",
  type: "ping",
  resource: "event",
  data: {},
  reason: "支払い",
  created_at: new Date().toISOString(),
});
const signature = createHmac("sha256", SECRET).update(body).digest("hex");
const utf8 = new TextEncoder().encode(body);

function shared(): Uint8Array {
  const view = new Uint8Array(new SharedArrayBuffer(utf8.length));
  view.set(utf8);
  return view;
}
function detached(): ArrayBuffer {
  const buffer = utf8.slice().buffer;
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

const bytesOfTheBody: [string, () => unknown][] = [
  ["a view on a SharedArrayBuffer", shared],
  ["a SharedArrayBuffer", () => shared().buffer],
  ["a Buffer sliced from Node's pool", () => Buffer.from(body)],
  [
    "a view into the middle of a larger buffer",
    () => new Uint8Array(new Uint8Array([9, ...utf8, 9]).buffer, 1, utf8.length),
  ],
  ["a DataView", () => new DataView(utf8.slice().buffer)],
  [
    "a resizable ArrayBuffer",
    () => {
      // ES2024: not in this project's lib yet.
      const Resizable = ArrayBuffer as unknown as new (
        length: number,
        options: { maxByteLength: number },
      ) => ArrayBuffer;
      const buffer = new Resizable(utf8.length, { maxByteLength: utf8.length * 2 });
      new Uint8Array(buffer).set(utf8);
      return buffer;
    },
  ],
  ["a Uint8Array from another realm", () => runInNewContext("Uint8Array.from(bytes)", { bytes: utf8 })],
];

const notBytes: [string, () => unknown][] = [
  ["a detached ArrayBuffer", detached],
  [
    "a view on a detached ArrayBuffer",
    () => {
      const view = utf8.slice();
      structuredClone(view.buffer, { transfer: [view.buffer] });
      return view;
    },
  ],
  ["the parsed object", () => JSON.parse(body)],
  ["an array of numbers", () => [...utf8]],
  ["null", () => null],
  ["a number", () => 42],
  ["an object that only looks like a view", () => ({ buffer: utf8.buffer, byteOffset: 0, byteLength: utf8.length })],
];

describe.each(["node", "web"] as const)("verifyWebhook over %s crypto", (path) => {
  let komoju: Awaited<ReturnType<typeof loadWithCrypto>>;
  beforeAll(async () => {
    komoju = await loadWithCrypto(path);
  });

  it("really takes that path", async () => {
    const { chosenHmac } = await import("../../src/hmac.js");
    await komoju.signWebhookPayload("x", SECRET);
    expect(chosenHmac()?.sign.constructor.name).toBe(path === "web" ? "AsyncFunction" : "Function");
  });

  it.each(bytesOfTheBody)("verifies %s", async (_what, make) => {
    const { verifyWebhook, signWebhookPayload } = komoju;
    expect(await verifyWebhook({ rawBody: make() as never, signature, secret: SECRET })).toMatchObject({
      id: "evt_raw",
      reason: "支払い",
    });
    expect(await signWebhookPayload(make() as never, SECRET)).toBe(signature);
  });

  it.each(notBytes)("refuses %s with KomojuSignatureError, never a TypeError", async (_what, make) => {
    const { verifyWebhook, signWebhookPayload, KomojuSignatureError } = komoju;
    await expect(verifyWebhook({ rawBody: make() as never, signature, secret: SECRET })).rejects.toMatchObject({
      code: "invalid_raw_body",
    });
    await expect(signWebhookPayload(make() as never, SECRET)).rejects.toBeInstanceOf(KomojuSignatureError);
  });
});
