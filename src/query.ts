import { KomojuInvalidRequestError } from "./errors.js";
import { rackPairs } from "./form.js";

/** `Q` with a `Date` accepted for each key in `D` (the spec's date-time parameters); it is sent as an ISO string. */
export type DatesAllowed<Q, D extends string> = { [K in keyof Q]: K extends D ? Q[K] | Date : Q[K] };

/**
 * A query string the way Rack (KOMOJU's Rails stack) reads it, by the form encoder's
 * rules (`status[]=a&status[]=b`, `metadata[key]=v`, and the same refusals: an empty
 * list would read as no filter at all). Top-level Dates go as ISO strings, `undefined`
 * and `null` parameters are left out. Empty, or `?` and the parameters.
 */
export function toQuery(query: object): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query))
    if (value != null) fields[key] = value instanceof Date ? value.toISOString() : value;
  const text = rackPairs(fields, (what) => {
    throw new KomojuInvalidRequestError(`the query cannot carry ${what}.`, "invalid_query");
  });
  return text && `?${text}`;
}
