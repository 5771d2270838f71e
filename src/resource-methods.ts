// The client's resources (`komoju.payments.capture(id, body)`), each method built from
// its row in the generated route table.
import { apiErrorFrom, KomojuInvalidRequestError } from "./errors.js";
import type { RequestOptions } from "./options.js";
import { type PageRequest, paginate } from "./pagination.js";
import type { Send } from "./transport.js";

/** One operation as the client calls it; generated/routes.ts holds one per operation of the spec. */
export interface Route {
  method: "GET" | "PUT" | "POST" | "DELETE" | "PATCH";
  /** The spec's path template; its `{parameters}` are the method's first arguments, in order. */
  path: string;
  /** The method takes a body after the path parameters. */
  body?: "required" | "optional";
  /** The method takes a query object after the path parameters. */
  query?: true;
  /** KOMOJU's page envelope: `await` gives one page, `for await` walks every item. */
  paginated?: true;
  /** What a 2xx carries, when it is not a JSON object: an array, any JSON, or nothing (the method resolves to undefined). */
  returns?: "array" | "json" | "none";
}

/** `{ resource: { method: route } }`. */
export type Routes = Record<string, Record<string, Route>>;

function pathParams(names: string[], args: unknown[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) params[names[i]!] = args[i];
  return params;
}

type Method = (...args: unknown[]) => Promise<unknown> | PageRequest<{ data: unknown[] }>;

/** A method's arguments: path parameters in path order, then the body or query, then options. */
function resourceMethod(where: string, route: Route, send: Send): Method {
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const takesInput = route.body !== undefined || route.query === true;

  async function call(args: unknown[], page?: number): Promise<unknown> {
    const input = takesInput ? args[names.length] : undefined;
    if (route.body === "required" && input === undefined) {
      throw new KomojuInvalidRequestError(`${where}: the body is required.`, "invalid_body");
    }
    const answer = await send(
      {
        method: route.method,
        path: route.path,
        pathParams: pathParams(names, args),
        // The first page was sent with the caller's query as given, so it was checked before any spread.
        query: route.query && (page === undefined ? (input ?? undefined) : { ...(input as object), page }),
        body: route.body ? input : undefined,
        expect: route.returns ?? "object",
        where,
      },
      args[names.length + (takesInput ? 1 : 0)] as RequestOptions | undefined,
    );
    if (answer.status >= 300) throw apiErrorFrom(answer);
    return route.returns === "none" ? undefined : answer.data;
  }

  return route.paginated
    ? (...args) => paginate((page) => call(args, page) as Promise<{ data: unknown[] }>, where)
    : (...args) => call(args);
}

/** Every resource of the route table, each method sharing the client's transport. */
export function createResources(routes: Routes, send: Send): Record<string, Record<string, Method>> {
  const resources: Record<string, Record<string, Method>> = {};
  for (const [resource, methods] of Object.entries(routes)) {
    const built: Record<string, Method> = {};
    for (const [name, route] of Object.entries(methods))
      built[name] = resourceMethod(`${resource}.${name}`, route, send);
    resources[resource] = built;
  }
  return resources;
}
