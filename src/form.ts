import { KomojuError, KomojuInvalidRequestError } from "./errors.js";
import { assertPlainData, isPlainObject } from "./plain-data.js";

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/**
 * Encodes a body the way Rack (KOMOJU's Rails stack) parses forms:
 * `metadata[test]=value`, `payment_types[]=credit_card`. Arrays use empty brackets,
 * never indexes: Rack reads `a[0]=x` as a hash, not a list. `undefined` is skipped in
 * objects, as JSON skips it.
 *
 * Only plain data is sent (see plain-data.ts), and what Rack would read differently
 * from the same body in JSON is refused, never sent:
 * - an empty list or object sends nothing, and `payment_types: []` would then read as
 *   "every payment type";
 * - `null`: Rack reads `a=` as "", and a bare `a` as nil or "" depending on its version;
 * - lists of lists or objects (Rack guesses where each object ends, and parsers differ);
 * - an empty key (`metadata[]=x` is a list to Rack) or one with a bracket (nesting).
 */
export function toRackForm(body: unknown): string {
  try {
    if (!isPlainObject(body)) throw new KomojuInvalidRequestError("A form body must be an object.", "invalid_body");
    assertPlainData(body, "body");
    return rackPairs(body, (what) => {
      throw new KomojuInvalidRequestError(`Cannot form-encode ${what}; use encoding: "json".`, "invalid_form_body");
    });
  } catch (cause) {
    // A getter that throws, a Proxy: the caller's data, not a crash.
    if (cause instanceof KomojuError) throw cause;
    throw new KomojuInvalidRequestError("Cannot form-encode the body: reading it threw.", "invalid_form_body", {
      cause,
    });
  }
}

/** The `key=value` pairs of plain data `fields` as Rack reads them (see toRackForm); `refuse` throws for what Rack would read differently. */
export function rackPairs(fields: Record<string, unknown>, refuse: (what: string) => never): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown, top: boolean): void => {
    if (value === null) refuse(`null at ${key}`);
    if (typeof value !== "object")
      return void pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    const before = pairs.length;
    if (Array.isArray(value)) {
      for (const item of value) {
        // Rack guesses where each object of `key[][field]` ends, and common parsers guess differently.
        if (item !== null && typeof item === "object") refuse(`a nested list or object at ${key}[]`);
        add(`${key}[]`, item, false);
      }
    } else {
      for (const [child, item] of Object.entries(value)) {
        if (item === undefined) continue;
        if (child === "" || /[[\]]/.test(child)) refuse(`the key ${JSON.stringify(child)} in ${key}`);
        add(top ? child : `${key}[${child}]`, item, false);
      }
    }
    if (pairs.length === before && !top) refuse(`an empty ${Array.isArray(value) ? "list" : "object"} at ${key}`);
  };
  add("the body", fields, true);
  return pairs.join("&");
}
