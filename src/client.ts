import type { KomojuResources } from "../generated/resources.js";
import { ROUTES } from "../generated/routes.js";
import { type KomojuClientOptions, resolveOptions } from "./options.js";
import { createRawClient, type RawClient } from "./raw.js";
import { createResources, resourceContext } from "./resources.js";
import { createTransport } from "./transport.js";

export type { KomojuClientOptions };

/** The typed raw methods over the spec's paths (`komoju.GET(path, …)`), plus one resource per tag whose methods return data or throw. */
export type KomojuClient = RawClient & KomojuResources;

export function createKomojuClient(options: KomojuClientOptions): KomojuClient {
  const resolved = resolveOptions(options);
  const { fetch: userFetch } = resolved;
  const send = createTransport({
    ...resolved,
    // Without an injected fetch, the global one gets the URL and init directly: building
    // a Request first would cost time on every call for nothing.
    fetch: userFetch ? (url, init) => userFetch(new Request(url, init)) : (url, init) => globalThis.fetch(url, init),
  });
  // The raw methods and the resources share the transport, and so auth, retries and errors.
  const context = resourceContext(send, resolved);
  return Object.assign(createRawClient(context), createResources(ROUTES, context) as unknown as KomojuResources);
}
