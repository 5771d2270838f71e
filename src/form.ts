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
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      params.append(key, value === null ? "" : String(value));
    } else if (Array.isArray(value)) {
      // Rack builds arrays of objects from `key[][field]` by guessing where one object
      // ends, and common parsers guess differently, so no encoding of them is safe.
      for (const item of value) {
        if (item !== null && typeof item === "object") refuse(`${key} (a list of objects)`);
        add(`${key}[]`, item);
      }
    } else if (typeof value === "object") {
      for (const [child, childValue] of Object.entries(value)) {
        if (/[[\]]/.test(child)) refuse(`${key}: Rack reads a bracket in a key as nesting`);
        add(`${key}[${child}]`, childValue);
      }
    } else if (value !== undefined) {
      refuse(`a ${typeof value} at ${key}`);
    }
  };
  for (const [key, value] of Object.entries(objectBody(body, "A form"))) add(key, value);
  return params.toString();
}

function refuse(what: string): never {
  throw new KomojuInvalidRequestError(`Cannot form-encode ${what}; use encoding: "json".`, "invalid_form_body");
}

/** `body` when it is a plain object; bodies are JSON objects in every encoding. */
export function objectBody(body: unknown, what: string): object {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new KomojuInvalidRequestError(`${what} body must be an object.`, "invalid_body");
  }
  return body;
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
