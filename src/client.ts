import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/komoju-api.js";
import { apiErrorFrom, KomojuInvalidRequestError } from "./errors.js";
import { FORM_CONTENT_TYPE, objectBody, toRackForm } from "./form.js";
import { type KomojuClientOptions, resolveOptions } from "./options.js";
import { createTransport, fetchFor, type RequestOptions } from "./transport.js";
import type { Session, SessionCreateRequest, SessionPayRequest, SessionPayResponse } from "./types.js";

export type { KomojuClientOptions };

export interface SessionsResource {
  /** POST /api/v1/sessions */
  create(body: SessionCreateRequest, options?: RequestOptions): Promise<Session>;
  /** GET /api/v1/sessions/{id} */
  retrieve(id: string, options?: RequestOptions): Promise<Session>;
  /** POST /api/v1/sessions/{id}/cancel */
  cancel(id: string, options?: RequestOptions): Promise<Session>;
  /** POST /api/v1/sessions/{id}/pay */
  pay(id: string, body: SessionPayRequest, options?: RequestOptions): Promise<SessionPayResponse>;
}

/** The typed openapi-fetch client over the spec's paths, plus resource helpers that return data or throw. */
export type KomojuClient = Client<paths> & { sessions: SessionsResource };

function sessionPath(id: unknown, suffix = ""): string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new KomojuInvalidRequestError("A session id (a non-empty string) is required.", "invalid_session_id");
  }
  return `/api/v1/sessions/${encodeURIComponent(id)}${suffix}`;
}

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

  const client = createClient<paths>({
    baseUrl,
    fetch: fetchFor(send),
    headers: form ? { ...headers, "content-type": FORM_CONTENT_TYPE } : headers,
    ...(form && { bodySerializer: toRackForm }),
  });

  // The helpers skip openapi-fetch's Request round trip and parse the body once; the
  // transport, and so auth, retries and errors, is the same one the raw client uses.
  async function request<T>(method: "GET" | "POST", path: string, call: RequestOptions = {}, body?: unknown, what?: string): Promise<T> {
    const payload = what && (form ? toRackForm : JSON.stringify)(objectBody(body, what));
    const typed = payload === undefined ? headers : { ...headers, "content-type": form ? FORM_CONTENT_TYPE : "application/json" };
    const result = await send({ method, url: baseUrl + path, headers: typed, body: payload }, call);
    if (result.status >= 200 && result.status < 300) return result.data as T;
    throw apiErrorFrom(result);
  }

  const sessions: SessionsResource = {
    async create(body, call) {
      return request("POST", "/api/v1/sessions", call, body, "The session");
    },
    async retrieve(id, call) {
      return request("GET", sessionPath(id), call);
    },
    async cancel(id, call) {
      return request("POST", sessionPath(id, "/cancel"), call);
    },
    async pay(id, body, call) {
      return request("POST", sessionPath(id, "/pay"), call, body, "The pay");
    },
  };

  return Object.assign(client, { sessions });
}
