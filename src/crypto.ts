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

/** A v4 UUID: Web Crypto's, or node:crypto's on Node 18, the one runtime without a global `crypto`. */
export async function randomUUID(): Promise<string> {
  return globalThis.crypto?.randomUUID?.() ?? ((await nodeCrypto())!.randomUUID as () => string)();
}
