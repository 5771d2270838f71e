import { KomojuInvalidRequestError } from "./errors.js";

/**
 * Encodes a body the way Rack (KOMOJU's Rails stack) parses forms:
 * `metadata[test]=value`, `payment_types[]=credit_card`, `line_items[][amount]=1`.
 * Arrays use empty brackets, never indexes: Rack reads `a[0]=x` as a hash, not a list.
 * `undefined` is skipped; `null` is sent empty, which Rack reads as nil.
 */
export function toRackForm(body: unknown): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) {
      params.append(key, "");
    } else if (Array.isArray(value)) {
      if (value.some((item) => item !== null && typeof item === "object")) {
        // Rack builds arrays of objects from `key[][field]` by guessing where one
        // object ends, and common parsers guess differently, so no encoding of them is
        // safe. JSON has no such ambiguity.
        throw new KomojuInvalidRequestError(`${key} is a list of objects, which form encoding cannot carry unambiguously; use encoding: "json".`, "invalid_form_body");
      }
      for (const item of value) add(`${key}[]`, item);
    } else if (typeof value === "object") {
      for (const [child, childValue] of Object.entries(value)) {
        if (/[[\]]/.test(child)) {
          throw new KomojuInvalidRequestError(`${key} has a key with a bracket (${JSON.stringify(child)}), which Rack would read as nesting; use encoding: "json".`, "invalid_form_body");
        }
        add(`${key}[${child}]`, childValue);
      }
    } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      params.append(key, String(value));
    } else {
      throw new KomojuInvalidRequestError(`Cannot form-encode ${typeof value} at ${key}.`, "invalid_form_body");
    }
  };
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new KomojuInvalidRequestError("A form body must be an object.", "invalid_form_body");
  }
  for (const [key, value] of Object.entries(body)) add(key, value);
  return params.toString();
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
