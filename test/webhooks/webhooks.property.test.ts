import { createHmac } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createReplayGuard, KomojuError, KomojuInvalidRequestError } from "../../src/index.js";
import { binaryString } from "../support/binary-string.js";
import { loadWithCrypto, restoreCryptoAfterAll } from "./crypto-paths.js";

// The same index module, with node:crypto's HMAC or (as on Workers) Web Crypto's.

restoreCryptoAfterAll();

const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: 60, maxLength: 68 });
const secret = fc.oneof(
  { weight: 4, arbitrary: binaryString({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>("", null, undefined, 5, {}, ["whsec"], new String("whsec")) },
);
const json = fc.oneof(
  fc
    .record({
      id: fc.string({ minLength: 1 }),
      type: fc.string(),
      resource: fc.constantFrom("event", "payment"),
      data: fc.jsonValue({ maxDepth: 2 }),
      // Fresh (accepted), any moment from 1970 to the future, or not a date (both refused when too old or unreadable).
      created_at: fc.oneof(
        fc.constant(new Date().toISOString()),
        fc.integer({ min: 0, max: Date.now() + 1e10 }).map((ms) => new Date(ms).toISOString()),
        fc.string(),
      ),
    })
    .map((event) => JSON.stringify(event)),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
  binaryString(),
);
type Body = { bytes: Uint8Array | undefined; raw: unknown };
/** A raw body in one of the shapes a runtime hands over, with its bytes (undefined: not a body). */
const rawBody: fc.Arbitrary<Body> = fc.oneof(
  json.map((text) => ({ bytes: Buffer.from(text), raw: text })),
  fc
    .tuple(
      json,
      fc.constantFrom("Buffer", "Uint8Array", "ArrayBuffer", "SharedArrayBuffer view", "DataView", "Uint16Array"),
    )
    .map(([text, shape]) => {
      const bytes = new Uint8Array(Buffer.from(text));
      const even = bytes.length % 2 === 0 ? bytes : new Uint8Array([...bytes, 0x20]);
      const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
      shared.set(bytes);
      const raw = {
        Buffer: Buffer.from(bytes),
        Uint8Array: bytes,
        ArrayBuffer: bytes.slice().buffer,
        "SharedArrayBuffer view": shared,
        DataView: new DataView(bytes.slice().buffer),
        Uint16Array: new Uint16Array(even.slice().buffer),
      }[shape];
      return { bytes: shape === "Uint16Array" ? even : bytes, raw };
    }),
  fc
    .anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withMap: true })
    .filter((value) => typeof value !== "string")
    .map((raw) => ({ bytes: undefined, raw })),
);
const signatureChoice = fc.oneof(
  fc.constant("valid" as const),
  fc.constant("valid, uppercase and padded" as const),
  hex,
  fc.anything({ maxDepth: 1, maxKeys: 2 }),
);

function signatureFor(choice: unknown, body: Body, key: unknown): unknown {
  if (typeof choice !== "string" || !choice.startsWith("valid")) return choice;
  if (typeof key !== "string" || key === "" || !body.bytes) return choice;
  const digest = createHmac("sha256", key).update(body.bytes).digest("hex");
  return choice === "valid" ? digest : ` ${digest.toUpperCase()} `;
}

describe.each(["node", "web"] as const)("adversarial: verifyWebhook over %s crypto", (path) => {
  let komoju: Awaited<ReturnType<typeof loadWithCrypto>>;
  beforeAll(async () => {
    komoju = await loadWithCrypto(path);
  });

  it("resolves only for a correct signature over an event, otherwise refuses with a KomojuError that never quotes the secret", async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, signatureChoice, secret, async (body, choice, key) => {
        const signature = signatureFor(choice, body, key);
        const signed =
          typeof key === "string" &&
          key !== "" &&
          body.bytes !== undefined &&
          typeof choice === "string" &&
          choice.startsWith("valid");
        const outcome = await komoju
          .verifyWebhook({ rawBody: body.raw as never, signature: signature as never, secret: key as never })
          .then(
            (event) => ({ event }),
            (error: unknown) => ({ error }),
          );
        if ("event" in outcome) {
          expect(signed).toBe(true);
          expect(outcome.event).toEqual(JSON.parse(new TextDecoder().decode(body.bytes)));
          return;
        }
        const { error } = outcome;
        expect(error).toBeInstanceOf(komoju.KomojuError);
        expect(error).toSatisfy(
          (e) =>
            e instanceof komoju.KomojuSignatureError ||
            e instanceof komoju.KomojuInvalidRequestError ||
            e instanceof komoju.KomojuWebhookPayloadError,
        );
        // A correctly signed body is refused only when it is not an event, or not a recent one.
        if (signed) expect(error).toBeInstanceOf(komoju.KomojuWebhookPayloadError);
        if (typeof key === "string" && key.length >= 8)
          expect(`${(error as Error).message}${(error as Error).stack}${JSON.stringify(error)}`).not.toContain(key);
      }),
      { numRuns: path === "node" ? 100 : 50 },
    );
  });

  it("signs what it verifies, for any bytes and any secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        rawBody.filter((body) => body.bytes !== undefined),
        binaryString({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        async (body, key, flip) => {
          const signature = await komoju.signWebhookPayload(body.raw as never, key);
          expect(signature).toBe(createHmac("sha256", key).update(body.bytes!).digest("hex"));
          const wrong =
            signature.slice(0, flip % 64) +
            (signature[flip % 64] === "0" ? "1" : "0") +
            signature.slice((flip % 64) + 1);
          await expect(
            komoju.verifyWebhook({ rawBody: body.raw as never, signature: wrong, secret: key }),
          ).rejects.toMatchObject({ code: "signature_mismatch" });
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** The guard's contract, kept as plainly as possible: ids remembered for ttlMs, the oldest dropped past maxEntries. */
function modelGuard(ttlMs: number, maxEntries: number) {
  let remembered: { id: string; expires: number }[] = [];
  return {
    firstSeen(id: string, at: number) {
      remembered = remembered.filter((entry) => entry.expires > at);
      if (remembered.some((entry) => entry.id === id)) return false;
      remembered.push({ id, expires: at + ttlMs });
      remembered = remembered.slice(-maxEntries);
      return true;
    },
    forget(id: string) {
      remembered = remembered.filter((entry) => entry.id !== id);
    },
  };
}

describe("adversarial: createReplayGuard", () => {
  const small = fc.oneof(fc.integer(), fc.double(), fc.anything({ maxDepth: 1, maxKeys: 2 }));
  it("any options: a working guard or KomojuInvalidRequestError, never another error", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            ttlMs: small,
            maxEntries: small,
            now: fc.oneof(
              small,
              fc.constant(() => 1),
              fc.constant(() => Number.NaN),
            ),
          },
          { requiredKeys: [] },
        ),
        small,
        (options, id) => {
          try {
            const guard = createReplayGuard(options as never);
            expect(guard.firstSeen("e1")).toBe(true);
            expect(guard.firstSeen("e1")).toBe(false);
            guard.firstSeen(id as never);
          } catch (error) {
            expect(error).toBeInstanceOf(KomojuInvalidRequestError);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("answers like the model for any sequence of deliveries, repeats, clock steps and forgets", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("see" as const),
        id: fc.constantFrom("a", "b", "c", "d", "e", "f"),
        step: fc.nat(400),
      }),
      fc.record({
        kind: fc.constant("forget" as const),
        id: fc.constantFrom("a", "b", "c", "d", "e", "f"),
        step: fc.constant(0),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(op, { maxLength: 60 }),
        (ttlMs, maxEntries, ops) => {
          let now = 0;
          // Below 2, a repeat interleaved with one other event would get through: refused.
          if (maxEntries < 2)
            return void expect(() => createReplayGuard({ ttlMs, maxEntries })).toThrow(KomojuInvalidRequestError);
          const guard = createReplayGuard({ ttlMs, maxEntries, now: () => now });
          const model = modelGuard(ttlMs, maxEntries);
          for (const { kind, id, step } of ops) {
            now += step;
            if (kind === "forget") {
              guard.forget(id);
              model.forget(id);
            } else {
              expect(guard.firstSeen({ id })).toBe(model.firstSeen(id, now));
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("any store behaviour: the store's own answer, its own error, or KomojuInvalidRequestError", async () => {
    const failure = new Error("store failed");
    const answer = fc.oneof(fc.boolean(), fc.anything(), fc.constant(failure));
    await fc.assert(
      fc.asyncProperty(answer, fc.boolean(), fc.boolean(), async (reply, asynchronous, throws) => {
        const raises = reply === failure && (throws || asynchronous);
        const add = () => {
          if (raises && !asynchronous) throw failure;
          return asynchronous ? (raises ? Promise.reject(failure) : Promise.resolve(reply)) : reply;
        };
        const guard = createReplayGuard({ store: { add: add as never, delete: () => undefined } });
        const outcome = await guard.firstSeen("e1").then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if ("value" in outcome) expect(outcome.value).toBe(reply);
        else if (raises) expect(outcome.error).toBe(failure);
        else {
          expect(outcome.error).toBeInstanceOf(KomojuError);
          expect(typeof reply).not.toBe("boolean");
        }
      }),
      { numRuns: 60 },
    );
  });
});
