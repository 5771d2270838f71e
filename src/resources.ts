import { apiErrorFrom } from "./error-mapping.js";
import { KomojuError, KomojuInvalidRequestError } from "./errors.js";
import { FORM_CONTENT_TYPE, objectBody, toRackForm } from "./form.js";
import { paginate } from "./pagination.js";
import { pathSegment } from "./path.js";
import { toQuery } from "./query.js";
import type { RequestOptions, Send } from "./transport.js";

/**
 * `{ resource: { method: "METHOD /path/{param} flags" } }`, generated from the spec
 * (generated/routes.ts). Flags: `B` a required body, `b` an optional one, `q` a query,
 * `p` paginated; the 2xx body is a JSON object unless `a` (an array), `j` (any JSON) or
 * `v` (none).
 */
export type Routes = Record<string, Record<string, string>>;

export interface ResourceContext {
  send: Send;
  baseUrl: string;
  /** The client's headers for a bodiless request, and with the body's content type. */
  headers: Record<string, string>;
  bodyHeaders: Record<string, string>;
  /** The body's encoder: JSON, or Rack's form encoding. */
  serialize: (body: object) => string;
}

/** What every method, raw or generated, needs from the client's options; built once per client. */
export function resourceContext(
  send: Send,
  { baseUrl, headers, encoding }: { baseUrl: string; headers: Record<string, string>; encoding: "json" | "form" },
): ResourceContext {
  const form = encoding === "form";
  return {
    send,
    baseUrl,
    headers,
    bodyHeaders: { ...headers, "content-type": form ? FORM_CONTENT_TYPE : "application/json" },
    serialize: form ? toRackForm : JSON.stringify,
  };
}

type Method = (...args: unknown[]) => Promise<unknown>;

/** The client's resources, each method built from its route: path parameters, then the body or query, then options. */
export function createResources(
  routes: Routes,
  { send, baseUrl, headers, bodyHeaders, serialize }: ResourceContext,
): Record<string, Record<string, Method>> {
  const method = (where: string, route: string): Method => {
    const [verb = "GET", template = "", flags = ""] = route.split(" ");
    // Literal parts at even indexes, parameter names at odd ones.
    const parts = template.split(/\{([^}]+)\}/);
    const params = (parts.length - 1) / 2;
    const slot = /[Bbq]/.test(flags) ? 1 : 0;
    const expectBody = flags.includes("v")
      ? false
      : flags.includes("a")
        ? "array"
        : flags.includes("j")
          ? "json"
          : "object";

    async function call(args: unknown[], page?: number): Promise<unknown> {
      let path = parts[0]!;
      for (let i = 0; i < params; i++) path += pathSegment(args[i], parts[2 * i + 1]!, where) + parts[2 * i + 2];
      const input = slot ? args[params] : undefined;
      let body: string | undefined;
      const query = flags.includes("q");
      try {
        if (query) {
          if (input != null && (typeof input !== "object" || Array.isArray(input)))
            throw new KomojuInvalidRequestError("the query must be an object.", "invalid_query");
          path += toQuery(page === undefined ? (input ?? {}) : { ...input, page });
        } else if (flags.includes("B") || input !== undefined) body = serialize(objectBody(input, "the"));
      } catch (cause) {
        // The encoders' own refusals, and what JSON.stringify and getters throw (a BigInt, a cycle, a getter's error).
        const known = cause instanceof KomojuError;
        const message = known
          ? cause.message
          : `the ${query ? "query" : "body"} cannot be encoded: ${(cause as Error)?.message ?? cause}`;
        throw new KomojuInvalidRequestError(
          `${where}: ${message}`,
          known ? cause.code : query ? "invalid_query" : "invalid_body",
          { cause },
        );
      }
      const outgoing = {
        method: verb,
        url: baseUrl + path,
        headers: body === undefined ? headers : bodyHeaders,
        body,
        expectBody,
      } as const;
      const result = await send(outgoing, args[params + slot] as RequestOptions | undefined);
      if (result.status < 200 || result.status > 299) throw apiErrorFrom(result);
      return flags.includes("v") ? undefined : result.data;
    }

    return flags.includes("p")
      ? (...args) => paginate((page) => call(args, page) as Promise<{ data: unknown[] }>, where)
      : (...args) => call(args);
  };

  const resources: Record<string, Record<string, Method>> = {};
  for (const [resource, methods] of Object.entries(routes)) {
    resources[resource] = {};
    for (const [name, route] of Object.entries(methods))
      resources[resource][name] = method(`${resource}.${name}`, route);
  }
  return resources;
}
