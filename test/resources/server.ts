import type { IncomingHttpHeaders } from "node:http";
import { type KomojuClientOptions, resolveOptions } from "../../src/options.js";
import { createResources, type Routes } from "../../src/resource-methods.js";
import { createTransport } from "../../src/transport.js";
import { raw, startLoopback } from "../support/loopback.js";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
}

/** A KOMOJU stand-in on 127.0.0.1, answering each request with `reply(request)` and recording it. */
export async function startServer(reply: (seen: Seen) => Reply) {
  const seen: Seen[] = [];
  const loopback = await startLoopback(({ path, ...request }) => {
    const one = { ...request, url: path };
    seen.push(one);
    const { status = 200, json, text = json === undefined ? "" : JSON.stringify(json) } = reply(one);
    return raw(status, text ? { "content-type": "application/json" } : {}, text);
  });
  return { baseUrl: loopback.url, seen, close: () => loopback.close() };
}

/** Resources built from `routes` exactly as createKomojuClient builds them from the generated table. */
export function resourcesFor(routes: Routes, options: KomojuClientOptions) {
  const send = createTransport(resolveOptions(options));
  // Methods are called with whatever arguments a test needs, as untyped JavaScript callers would.
  return createResources(routes, send) as Record<
    string,
    Record<string, (...args: unknown[]) => Promise<unknown> & AsyncIterable<unknown>>
  >;
}
