import type { FetchResponse, HeadersOptions, ParamsOption, RequestBodyOption } from "openapi-fetch";
import type { paths } from "../generated/komoju-api.js";
import { KomojuInvalidRequestError, toKomojuError } from "./errors.js";
import { checkHeaders, type RequestOptions } from "./options.js";
import type { ApiRequest, ApiResponse, Send } from "./transport.js";

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch";
/** The spec's paths that have this method. */
type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];
type Operation<P extends keyof paths, M extends HttpMethod> =
  paths[P] extends Record<M, infer O extends Record<string, unknown>> ? O : never;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * What a raw call reads: openapi-fetch's `params` and `body` for the operation, plus
 * `headers`, `baseUrl` (only under the client's) and `signal`. openapi-fetch's other
 * per-call options (`parseAs`, serializers, `fetch`, `middleware`, RequestInit fields)
 * are type errors rather than silently ignored.
 */
export type RawRequestOptions<O> = ParamsOption<O> &
  RequestBodyOption<O> & { headers?: HeadersOptions; baseUrl?: string; signal?: AbortSignal };
type RawArgs<O> = [RequiredKeys<RawRequestOptions<O>>] extends [never]
  ? [init?: RawRequestOptions<O>]
  : [init: RawRequestOptions<O>];
type RawResponse<O extends Record<string, unknown>> = Promise<
  FetchResponse<O, RawRequestOptions<O>, `${string}/${string}`>
>;
type RawMethod<M extends HttpMethod> = <P extends PathsWith<M>>(
  url: P,
  ...init: RawArgs<Operation<P, M>>
) => RawResponse<Operation<P, M>>;

/**
 * Typed methods over the spec's paths (`komoju.GET(path, { params, body, headers,
 * baseUrl, signal })` resolving to `{ data, error, response }`), with openapi-fetch's
 * request and response types but run in-house by the client's own transport, which
 * keeps its runtime out of the bundle. openapi-fetch's middleware (`use`, `eject`) is
 * not offered: `hooks` observe every attempt, and nothing may rewrite where the key goes.
 */
export interface RawClient {
  GET: RawMethod<"get">;
  PUT: RawMethod<"put">;
  POST: RawMethod<"post">;
  DELETE: RawMethod<"delete">;
  OPTIONS: RawMethod<"options">;
  HEAD: RawMethod<"head">;
  PATCH: RawMethod<"patch">;
  request<M extends HttpMethod | Uppercase<HttpMethod>, P extends PathsWith<Lowercase<M> & HttpMethod>>(
    method: M,
    url: P,
    ...init: RawArgs<Operation<P, Lowercase<M> & HttpMethod>>
  ): RawResponse<Operation<P, Lowercase<M> & HttpMethod>>;
}

interface RawInit {
  params?: { path?: Record<string, unknown>; query?: object; header?: unknown };
  body?: unknown;
  headers?: unknown;
  baseUrl?: string;
  signal?: AbortSignal;
}

/** The methods the spec's operations use; fetch cannot send TRACE or CONNECT anyway. */
const VERBS = /* @__PURE__ */ "GET PUT POST DELETE OPTIONS HEAD PATCH".split(" ");

/** Statuses whose responses may not carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = /* @__PURE__ */ new Set([204, 205, 304]);
/** What the Response constructor takes as a status text; a proxy's `200 成功` is dropped, not thrown. */
const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** The caller's arguments as the transport's request; refusals are KomojuInvalidRequestErrors. */
function apiRequest(
  method: string,
  template: unknown,
  init: RawInit | undefined,
): [ApiRequest, RequestOptions | undefined] {
  try {
    // Only the spec's methods: fetch would refuse others with a TypeError that reads as a
    // connection failure, or (Bun) send a malformed one as another method.
    if (!VERBS.includes(method))
      throw new KomojuInvalidRequestError(`${method} is not an API method.`, "invalid_method");
    if (typeof template !== "string")
      throw new KomojuInvalidRequestError("The path must be a string.", "invalid_request");
    const { params = {}, body, baseUrl, signal } = init ?? {};
    const code = "invalid_request_options";
    const request: ApiRequest = {
      method,
      path: template,
      pathParams: params.path,
      query: params.query,
      body,
      headers: {
        ...checkHeaders(init?.headers, "headers", code, true),
        ...checkHeaders(params.header, "params.header", code, true),
      },
      baseUrl,
      expect: "json",
      where: `${method} ${template}`,
    };
    return [request, signal ? { signal } : undefined];
  } catch (error) {
    throw toKomojuError(error);
  }
}

/** openapi-fetch's `{ data, response }` or `{ error, response }`; never throws, since the request has been sent. */
function rawResult({ status, statusText, headers, text, data }: ApiResponse) {
  // The body is decoded text now, so the wire's length and encoding no longer describe it.
  const responseHeaders = new Headers(headers);
  responseHeaders.delete("content-length");
  responseHeaders.delete("content-encoding");
  const response = new Response(NULL_BODY_STATUSES.has(status) ? null : text || null, {
    status,
    statusText: REASON_PHRASE.test(statusText) ? statusText : "",
    headers: responseHeaders,
  });
  return status < 300 ? { data, response } : { error: data ?? (text || undefined), response };
}

export function createRawClient(send: Send): RawClient {
  const request = async (method: string, template: unknown, init?: RawInit) => {
    return rawResult(await send(...apiRequest(method, template, init)));
  };
  const client: Record<string, unknown> = {
    request: (method: unknown, url: string, init?: RawInit) =>
      request(typeof method === "string" ? method.toUpperCase() : String(method), url, init),
  };
  for (const verb of VERBS) client[verb] = (url: string, init?: RawInit) => request(verb, url, init);
  return client as unknown as RawClient;
}
