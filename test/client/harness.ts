import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { createKomojuClient, type KomojuClientOptions, KomojuError } from "../../src/index.js";
import { resolveOptions } from "../../src/options.js";
import { createTransport } from "../../src/transport.js";
import { json, startLoopback } from "../support/loopback.js";
import { recordUnhandledRejections } from "../support/unhandled-rejections.js";

export const SECRET = "sk_test_hostile_input_secret";
export const ID = "e9x5mvx3jkpkofzcg7umfael6";
export const session = { id: ID, resource: "session" };

/** The error `promise` rejects with, which must be a KomojuError; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<KomojuError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KomojuError);
  return error as KomojuError;
}

function optionsFor(baseUrl: string, options: Partial<KomojuClientOptions>): KomojuClientOptions {
  return { secretKey: SECRET, baseUrl, timeoutMs: 2_000, retryDelay: { baseDelayMs: 1, maxDelayMs: 2 }, ...options };
}

type Loopback = Awaited<ReturnType<typeof startLoopback>>;

/**
 * A loopback server for the calling describe block, answering the session until a test
 * says otherwise and forgetting what it received after each test; a client aimed at it
 * with short retry delays; and the unhandled rejections seen meanwhile.
 */
export function useLoopback() {
  let server: Loopback | undefined;
  const unhandled = recordUnhandledRejections();
  beforeAll(async () => {
    server = await startLoopback(() => json(200, session));
  });
  afterEach(() => {
    server!.received.length = 0;
    server!.answer = () => json(200, session);
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get server(): Loopback {
      if (!server) throw new Error("useLoopback's server is only there inside the tests.");
      return server;
    },
    unhandled,
    client: (options: Partial<KomojuClientOptions> = {}) => createKomojuClient(optionsFor(server!.url, options)),
    /** The transport alone, as the client builds it. */
    transport: (options: Partial<KomojuClientOptions> = {}) =>
      createTransport(resolveOptions(optionsFor(server!.url, options))),
  };
}
