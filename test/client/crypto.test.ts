import { afterEach, beforeEach, expect, it, vi } from "vitest";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Files share workers: another may have loaded src/crypto.js (and filled its memo) first.
beforeEach(() => {
  vi.resetModules();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

// A fresh module each time, so its memo of node:crypto starts empty and sees the stubbed globals.
async function freshRandomUUID() {
  return (await import("../../src/crypto.js")).randomUUID;
}

it("builds a v4 UUID from getRandomValues where randomUUID is withheld and node:crypto is absent", async () => {
  vi.stubGlobal("process", { ...process, versions: {} });
  vi.stubGlobal("crypto", { getRandomValues: (a: Uint8Array) => a.fill(0xff) });
  const randomUUID = await freshRandomUUID();
  const uuid = await randomUUID();
  expect(uuid).toMatch(UUID);
  expect(uuid).toBe("ffffffff-ffff-4fff-bfff-ffffffffffff");
});

it("refuses with a KomojuInvalidRequestError, not a TypeError, where there is no crypto at all", async () => {
  vi.stubGlobal("process", { ...process, versions: {} });
  vi.stubGlobal("crypto", undefined);
  const randomUUID = await freshRandomUUID();
  const { KomojuInvalidRequestError } = await import("../../src/errors.js");
  await expect(randomUUID()).rejects.toBeInstanceOf(KomojuInvalidRequestError);
});
