import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/komoju-api.js";
import type { KomojuResources } from "../generated/resources.js";
import { ROUTES } from "../generated/routes.js";
import { FORM_CONTENT_TYPE, toRackForm } from "./form.js";
import { type KomojuClientOptions, resolveOptions } from "./options.js";
import { createResources } from "./resources.js";
import { createTransport, fetchFor, guardRawClient } from "./transport.js";

export type { KomojuClientOptions };

/** The typed openapi-fetch client over the spec's paths, plus one resource per tag whose methods return data or throw. */
export type KomojuClient = Client<paths> & KomojuResources;

export function createKomojuClient(options: KomojuClientOptions): KomojuClient {
  const resolved = resolveOptions(options);
  const { baseUrl, fetch: userFetch, headers } = resolved;
  const form = resolved.encoding === "form";
  const send = createTransport({
    ...resolved,
    // Without an injected fetch, the global one gets the URL and init directly: building
    // a Request first would cost time on every call for nothing.
    fetch: userFetch ? (url, init) => userFetch(new Request(url, init)) : (url, init) => globalThis.fetch(url, init),
  });

  const client = guardRawClient(createClient<paths>({
    baseUrl,
    fetch: fetchFor(send),
    headers: form ? { ...headers, "content-type": FORM_CONTENT_TYPE } : headers,
    ...(form && { bodySerializer: toRackForm }),
  }));

  // The resources skip openapi-fetch's Request round trip and parse the body once; the
  // transport, and so auth, retries and errors, is the same one the raw client uses.
  return Object.assign(client, createResources(ROUTES, { send, baseUrl, headers, form }) as unknown as KomojuResources);
}
