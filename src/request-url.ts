import { KomojuInvalidRequestError } from "./errors.js";
import { rackPairs } from "./form.js";
import { assertPlainData, isPlainObject } from "./plain-data.js";

/** `Q` with a `Date` accepted for each key in `D` (the spec's date-time parameters); it is sent as an ISO string. */
export type DatesAllowed<Q, D extends string> = { [K in keyof Q]: K extends D ? Q[K] | Date : Q[K] };

/**
 * A caller's value as one encoded path segment. Refused before anything is sent: a
 * non-string, a blank string, `.` and `..` (URL parsers resolve them, even encoded, into
 * another path), and lone surrogates (which cannot be percent-encoded).
 */
function pathSegment(value: unknown, name: string): string {
  if (typeof value !== "string" || value.trim() === "" || /^\.\.?$|\p{Cs}/u.test(value)) {
    throw new KomojuInvalidRequestError(
      `${name} must be a non-empty string, not "." or "..", without lone surrogates.`,
      "invalid_path_parameter",
      { param: name },
    );
  }
  return encodeURIComponent(value);
}

/**
 * A query string the way Rack (KOMOJU's Rails stack) reads it, by the form encoder's
 * rules (`status[]=a&status[]=b`, `metadata[key]=v`, and the same refusals: an empty
 * list would read as no filter at all). Top-level Dates go as ISO strings, `undefined`
 * and `null` parameters are left out. Empty, or `?` and the parameters.
 */
function toQuery(query: unknown): string {
  // A URLSearchParams, a Map or a class instance would read as no filter at all.
  if (!isPlainObject(query)) {
    throw new KomojuInvalidRequestError("the query must be an object literal of parameters.", "invalid_query");
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value instanceof Date && Number.isNaN(value.getTime())) {
      throw new KomojuInvalidRequestError(`the query cannot carry an invalid Date at ${key}.`, "invalid_query");
    }
    if (value != null) fields[key] = value instanceof Date ? value.toISOString() : value;
  }
  assertPlainData(fields, "query");
  const text = rackPairs(fields, (what) => {
    throw new KomojuInvalidRequestError(`the query cannot carry ${what}.`, "invalid_query");
  });
  return text && `?${text}`;
}

// Each operation's template is split once: literal parts at even indexes, parameter names at odd ones.
const splitTemplates = /* @__PURE__ */ new Map<string, string[]>();

/** `baseUrl` + the path template with each `{name}` filled from `params` + the query. */
export function buildUrl(
  baseUrl: string,
  template: string,
  params: Record<string, unknown> | undefined,
  query: unknown,
): string {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{([^}]+)\}/);
    // Raw callers may pass any string as a path; only the spec's templates are worth keeping.
    if (splitTemplates.size < 1000) splitTemplates.set(template, parts);
  }
  let url = baseUrl + parts[0];
  for (let i = 1; i < parts.length; i += 2) url += pathSegment(params?.[parts[i]!], parts[i]!) + parts[i + 1];
  return query === undefined ? url : url + toQuery(query);
}
