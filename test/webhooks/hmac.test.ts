import * as nodeCrypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nodeHmac, webHmac } from "../../src/hmac.js";

// verifyWebhook picks node:crypto where the runtime has it and Web Crypto elsewhere
// (Cloudflare Workers); both must give the same answers on every input.
const implementations = { node: nodeHmac(nodeCrypto), web: webHmac(globalThis.crypto) };
const bytes = fc.uint8Array({ maxLength: 4096 }).map((b) => new Uint8Array(b) as Uint8Array<ArrayBuffer>);
const secret = fc.string({ minLength: 1, maxLength: 64 });

describe("the two HMAC implementations agree", () => {
  it("sign the same digest as node:crypto's createHmac", async () => {
    await fc.assert(
      fc.asyncProperty(secret, bytes, async (key, data) => {
        const expected = nodeCrypto.createHmac("sha256", key).update(data).digest();
        expect(Buffer.from(await implementations.node.sign(key, data))).toEqual(expected);
        expect(Buffer.from(await implementations.web.sign(key, data))).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("accept the right digest and refuse any other", async () => {
    await fc.assert(
      fc.asyncProperty(secret, bytes, fc.nat(31), async (key, data, flip) => {
        const digest = nodeCrypto.createHmac("sha256", key).update(data).digest();
        const wrong = Buffer.from(digest);
        wrong[flip] = wrong[flip]! ^ 0xff;
        for (const implementation of Object.values(implementations)) {
          expect(await implementation.verify(key, data, digest.toString("hex"))).toBe(true);
          expect(await implementation.verify(key, data, wrong.toString("hex"))).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
