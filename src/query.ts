import { KomojuInvalidRequestError } from "./errors.js";

/** `Q` with a `Date` accepted for each key in `D` (the spec's date-time parameters); it is sent as an ISO string. */
export type DatesAllowed<Q, D extends string> = { [K in keyof Q]: K extends D ? Q[K] | Date : Q[K] };

/**
 * A query string the way Rack (KOMOJU's Rails stack) reads it: `status[]=a&status[]=b`
 * for arrays, `metadata[key]=v` for objects, Dates as ISO strings; `undefined` and
 * `null` are left out. Empty, or `?` and the parameters.
 */
export function toQuery(query: unknown, where: string): string {
  if (query == null) return "";
  const refuse = (what: string): never => {
    throw new KomojuInvalidRequestError(`${where}: ${what} cannot be sent in a query string.`, "invalid_query");
  };
  if (typeof query !== "object" || Array.isArray(query)) refuse("the query must be an object; it");
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) refuse(`an invalid Date at ${key}`);
      params.append(key, value.toISOString());
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (item !== null && typeof item === "object" && !(item instanceof Date)) refuse(`${key} (a list of objects)`);
        add(`${key}[]`, item);
      }
    } else if (value !== null && typeof value === "object") {
      for (const [child, childValue] of Object.entries(value)) add(`${key}[${child}]`, childValue);
    } else if (["string", "number", "boolean"].includes(typeof value)) {
      params.append(key, String(value));
    } else if (value != null) {
      refuse(`a ${typeof value} at ${key}`);
    }
  };
  for (const [key, value] of Object.entries(query as object)) add(key, value);
  const text = params.toString();
  return text && `?${text}`;
}
