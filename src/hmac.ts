import { webCrypto } from "./crypto.js";

/** HMAC-SHA256 of `data` with `secret`: sign, or verify against a digest in constant time. */
export interface Hmac {
  sign(secret: string, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
  verify(secret: string, data: Uint8Array<ArrayBuffer>, digest: Uint8Array<ArrayBuffer>): Promise<boolean>;
}

const encoder = new TextEncoder();

/** Web Crypto: every runtime has it. Keys are imported once per secret. */
export function webHmac(): Hmac {
  const keys = new Map<string, Promise<CryptoKey>>();
  const key = async (secret: string) => {
    let found = keys.get(secret);
    if (!found) {
      found = Promise.resolve(webCrypto()).then((c) => c.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]));
      if (keys.size >= 16) keys.delete(keys.keys().next().value!);
      keys.set(secret, found);
    }
    return found;
  };
  return {
    async sign(secret, data) {
      const c = await webCrypto();
      return new Uint8Array(await c.subtle.sign("HMAC", await key(secret), data));
    },
    async verify(secret, data, digest) {
      const c = await webCrypto();
      return c.subtle.verify("HMAC", await key(secret), digest, data);
    },
  };
}

interface NodeCrypto {
  createHmac(algorithm: string, key: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * node:crypto, where the runtime has it (Node, Bun, Deno): the same HMAC without Web
 * Crypto's per-call promise machinery, several times faster on small bodies.
 */
export function nodeHmac(crypto: NodeCrypto): Hmac {
  const digestOf = (secret: string, data: Uint8Array) => crypto.createHmac("sha256", secret).update(data).digest();
  return {
    async sign(secret, data) {
      return digestOf(secret, data);
    },
    async verify(secret, data, digest) {
      const expected = digestOf(secret, data);
      return expected.length === digest.length && crypto.timingSafeEqual(expected, digest);
    },
  };
}

const NODE_CRYPTO = "node:crypto";
let chosen: Promise<Hmac> | undefined;

/** node:crypto's HMAC when the runtime is Node-compatible, Web Crypto's otherwise. */
export function hmac(): Promise<Hmac> {
  chosen ??= (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node
    ? import(NODE_CRYPTO).then((crypto: NodeCrypto) => nodeHmac(crypto), () => webHmac())
    : Promise.resolve(webHmac());
  return chosen;
}
