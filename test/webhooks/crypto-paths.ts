import { afterAll, vi } from "vitest";

/**
 * The package's index module with node:crypto's HMAC (`node`, as on Node, Bun and Deno)
 * or with Web Crypto's only (`web`, as on Cloudflare Workers), freshly loaded. Call
 * `restoreCryptoAfterAll()` once in a file that loads it: files share workers, and the
 * next one must get the modules unmocked and freshly loaded.
 */
export async function loadWithCrypto(path: "node" | "web"): Promise<typeof import("../../src/index.js")> {
  vi.resetModules();
  vi.doUnmock("../../src/crypto.js");
  if (path === "web") {
    vi.doMock("../../src/crypto.js", async (original) => ({
      ...(await original<object>()),
      nodeCrypto: async () => undefined,
    }));
  }
  return import("../../src/index.js");
}

export function restoreCryptoAfterAll(): void {
  afterAll(() => {
    vi.doUnmock("../../src/crypto.js");
    vi.resetModules();
  });
}
