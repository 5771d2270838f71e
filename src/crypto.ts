import { KomojuInvalidRequestError } from "./errors.js";

// The specifier is a variable so that bundlers for edge runtimes do not try to
// resolve a Node built-in those runtimes never load.
const NODE_CRYPTO = "node:crypto";
let fromNode: Promise<Record<string, unknown> | undefined> | undefined;

/** node:crypto where the runtime is Node-compatible (Node, Bun, Deno), else undefined. */
export function nodeCrypto(): Promise<Record<string, unknown> | undefined> {
  fromNode ??= (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node
    ? import(NODE_CRYPTO).catch(() => undefined)
    : Promise.resolve(undefined);
  return fromNode;
}

/** Web Crypto: a global everywhere but Node 18, which has it as node:crypto's `webcrypto`. */
export async function webCrypto(): Promise<Crypto> {
  return globalThis.crypto?.subtle ? globalThis.crypto : ((await nodeCrypto())?.webcrypto as Crypto);
}

/**
 * A v4 UUID: Web Crypto's, node:crypto's on Node 18 (the one runtime without a global
 * `crypto`), or built from `getRandomValues` where `randomUUID` is withheld (a browser
 * page served over plain http).
 */
export async function randomUUID(): Promise<string> {
  const web = globalThis.crypto;
  const uuid = web?.randomUUID?.() ?? ((await nodeCrypto())?.randomUUID as (() => string) | undefined)?.();
  if (uuid) return uuid;
  if (!web?.getRandomValues)
    throw new KomojuInvalidRequestError("No crypto to generate an idempotency key: pass idempotencyKey.", "no_crypto");
  const bytes = web.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
