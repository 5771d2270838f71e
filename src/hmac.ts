import { nodeCrypto, webCrypto } from "./crypto.js";

/** HMAC-SHA256: sign, or verify a hex digest in constant time. Node-compatible runtimes answer synchronously. */
interface Hmac {
  sign(secret: string, data: Uint8Array<ArrayBuffer>): Uint8Array | Promise<Uint8Array>;
  verify(secret: string, data: Uint8Array<ArrayBuffer>, hexDigest: string): boolean | Promise<boolean>;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Web Crypto: every runtime has it. */
export function webHmac(crypto: Crypto): Hmac {
  const key = (secret: string) =>
    crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
  return {
    async sign(secret, data) {
      return new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), data));
    },
    async verify(secret, data, hexDigest) {
      return crypto.subtle.verify("HMAC", await key(secret), hexToBytes(hexDigest), data);
    },
  };
}

interface NodeCrypto {
  createHmac(
    algorithm: string,
    key: string,
  ): { update(data: Uint8Array): { digest(): Uint8Array; digest(encoding: "hex"): string } };
}

/** node:crypto (Node, Bun, Deno): synchronous, without Web Crypto's per-call promises, so much faster on small bodies. */
export function nodeHmac(crypto: NodeCrypto): Hmac {
  const hmacOf = (secret: string, data: Uint8Array) => crypto.createHmac("sha256", secret).update(data);
  return {
    sign: (secret, data) => hmacOf(secret, data).digest(),
    verify(secret, data, hexDigest) {
      const expected = hmacOf(secret, data).digest("hex");
      // Constant time: every character is compared, whatever the first difference.
      let difference = expected.length ^ hexDigest.length;
      for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ hexDigest.charCodeAt(i);
      return difference === 0;
    },
  };
}

let chosen: Hmac | undefined;

/** node:crypto's HMAC where the runtime has it, Web Crypto's elsewhere; decided once. */
export async function hmac(): Promise<Hmac> {
  if (!chosen) {
    const node = await nodeCrypto();
    chosen = node ? nodeHmac(node as unknown as NodeCrypto) : webHmac(await webCrypto());
  }
  return chosen;
}

/** The chosen implementation once `hmac()` has run; lets the hot path skip an await. */
export const chosenHmac = (): Hmac | undefined => chosen;
