/** `Q` with a `Date` accepted for each key in `D` (the spec's date-time parameters); it is sent as an ISO string. */
export type DatesAllowed<Q, D extends string> = { [K in keyof Q]: K extends D ? Q[K] | Date : Q[K] };

/**
 * A query string the way Rack (KOMOJU's Rails stack) reads it: `status[]=a&status[]=b`
 * for arrays, `metadata[key]=v` for objects, Dates as ISO strings; `undefined` and
 * `null` are left out. Empty, or `?` and the parameters. Throws a TypeError or
 * RangeError for what has no place in a URL (a function, an invalid Date, a cycle).
 */
export function toQuery(query: object): string {
  const params = new URLSearchParams();
  const add = (key: string, value: unknown): void => {
    if (value instanceof Date) params.append(key, value.toISOString());
    else if (Array.isArray(value)) for (const item of value) add(`${key}[]`, item);
    else if (value && typeof value === "object") for (const [child, item] of Object.entries(value)) add(`${key}[${child}]`, item);
    else if (typeof value === "function" || typeof value === "symbol") throw new TypeError(`a ${typeof value} at ${key}`);
    else if (value != null) params.append(key, String(value));
  };
  for (const [key, value] of Object.entries(query)) add(key, value);
  const text = params.toString();
  return text && `?${text}`;
}
