import type { KomojuResources } from "../generated/resource-types.js";
import { ROUTES } from "../generated/routes.js";
import { type KomojuClientOptions, resolveOptions } from "./options.js";
import { createRawClient, type RawClient } from "./raw-client.js";
import { createResources } from "./resource-methods.js";
import { createTransport } from "./transport.js";

/** The typed raw methods over the spec's paths (`komoju.GET(path, …)`), plus one resource per tag whose methods return data or throw. */
export type KomojuClient = RawClient & KomojuResources;

export function createKomojuClient(options: KomojuClientOptions): KomojuClient {
  // The raw methods and the resources share the transport, and so auth, retries and errors.
  const send = createTransport(resolveOptions(options));
  return Object.assign(createRawClient(send), createResources(ROUTES, send) as unknown as KomojuResources);
}
