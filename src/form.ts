import { KomojuInvalidRequestError } from "./errors.js";

/**
 * Encodes a body the way Rack (KOMOJU's Rails stack) parses forms:
 * `metadata[test]=value`, `payment_types[]=credit_card`. Arrays use empty brackets,
 * never indexes: Rack reads `a[0]=x` as a hash, not a list. `undefined` is skipped in
 * objects, as JSON skips it.
 *
 * What Rack would read differently from the same body in JSON is refused, never sent:
 * - an empty list or object sends nothing, and `payment_types: []` would then read as
 *   "every payment type";
 * - `null`: Rack reads `a=` as "", and a bare `a` as nil or "" depending on its version;
 * - lists of lists or objects (Rack guesses where each object ends, and parsers differ);
 * - an empty key (`metadata[]=x` is a list to Rack) or one with a bracket (nesting);
 * - NaN and ±Infinity (JSON sends null), a lone surrogate (it would become U+FFFD);
 * - objects that are not plain (Date, Map, Headers, class instances), whose own
 *   properties are not their content, and nesting deeper than 32 levels (or a cycle).
 */
export function toRackForm(body: unknown): string {
  try {
    return rackPairs(objectBody(body, "A form"), (what) => {
      throw new KomojuInvalidRequestError(`Cannot form-encode ${what}; use encoding: "json".`, "invalid_form_body");
    });
  } catch (cause) {
    // A getter that throws, a Proxy, nesting deeper than the stack: the caller's data, not a crash.
    if (cause instanceof KomojuInvalidRequestError) throw cause;
    throw new KomojuInvalidRequestError("Cannot form-encode the body: reading it threw.", "invalid_form_body", {
      cause,
    });
  }
}

/** The `key=value` pairs of `fields` as Rack reads them (see toRackForm); `refuse` throws for what Rack would read differently. */
export function rackPairs(fields: object, refuse: (what: string) => never): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown, depth: number): void => {
    if (value === null || typeof value !== "object") {
      if (
        typeof value === "number" ? !Number.isFinite(value) : typeof value !== "string" && typeof value !== "boolean"
      ) {
        refuse(`${value === null || typeof value === "number" ? value : `a ${typeof value}`} at ${key}`);
      }
      let pair: string;
      try {
        pair = `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
      } catch {
        refuse(`a lone surrogate at ${key}`);
      }
      return void pairs.push(pair);
    }
    // Rack refuses deep nesting (param_depth_limit, 100 by default), and a cycle is endless:
    // 32 levels is far beyond any KOMOJU body and clear of how Rack counts.
    if (depth > 32) refuse(`${key}: nested too deep (a cycle?)`);
    const list = Array.isArray(value);
    const prototype = Object.getPrototypeOf(value);
    if (!list && prototype !== Object.prototype && prototype !== null)
      refuse(`a ${prototype?.constructor?.name} at ${key}`);
    const before = pairs.length;
    if (list) {
      for (const item of value) {
        // Rack guesses where each object of `key[][field]` ends, and common parsers guess differently.
        if (item !== null && typeof item === "object") refuse(`a nested list or object at ${key}[]`);
        add(`${key}[]`, item, depth);
      }
    } else {
      for (const [child, item] of Object.entries(value)) {
        if (item === undefined) continue;
        if (child === "" || /[[\]]/.test(child)) refuse(`the key ${JSON.stringify(child)} in ${key}`);
        add(depth ? `${key}[${child}]` : child, item, depth + 1);
      }
    }
    if (pairs.length === before && depth) refuse(`an empty ${list ? "list" : "object"} at ${key}`);
  };
  add("the body", fields, 0);
  return pairs.join("&");
}

/** `body` when it is a plain object; bodies are JSON objects in every encoding. */
export function objectBody(body: unknown, what: string): object {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new KomojuInvalidRequestError(`${what} body must be an object.`, "invalid_body");
  }
  return body;
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
