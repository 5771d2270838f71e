// Node 18 has Web Crypto only as require("node:crypto").webcrypto; Node ≥ 19, Deno,
// Bun and Cloudflare Workers have it as a global. The specifier is a variable so
// bundlers for edge runtimes do not try to resolve a Node built-in they never reach.
const NODE_CRYPTO = "node:crypto";
let fromNode: Promise<Crypto> | undefined;

export function webCrypto(): Crypto | Promise<Crypto> {
  if (globalThis.crypto?.subtle) return globalThis.crypto;
  fromNode ??= import(NODE_CRYPTO).then((module: { webcrypto: Crypto }) => module.webcrypto);
  return fromNode;
}

export async function randomUUID(): Promise<string> {
  return (await webCrypto()).randomUUID();
}
