// A body or query is sent only when every field the caller wrote reaches the wire. An
// encoder reads own enumerable properties only, so a class instance with getters,
// `Object.create(defaults)`, a Map or a URLSearchParams would go out as `{}`: for a
// capture or a refund that means "all of it", for a list "no filter". Such values are
// refused before anything is sent, in every encoding.
import { KomojuInvalidRequestError } from "./errors.js";

/** Rack refuses deeper nesting (param_depth_limit), and a cycle is endless: far beyond any KOMOJU body. */
const MAX_DEPTH = 32;
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `value` is an object literal (or a null-prototype object): the only objects whose content is their own enumerable properties. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== "object")
    return typeof value === "number" ? String(value) : `a ${typeof value}`;
  return `a ${Object.getPrototypeOf(value)?.constructor?.name ?? "object"}`;
}

/** Why `value` would not be sent as written, or undefined when it would. */
function problem(value: unknown, at: string, depth: number): string | undefined {
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? `a lone surrogate at ${at}` : undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${value} at ${at}`;
  if (typeof value !== "object") return `${describe(value)} at ${at}`;
  if (depth > MAX_DEPTH) return `nested too deep at ${at} (a cycle?)`;
  const list = Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype;
  if (!list && !isPlainObject(value)) return `${describe(value)} at ${at} (its fields are not its own properties)`;
  const names = Object.getOwnPropertyNames(value);
  const keys = Object.keys(value);
  // Hidden fields (non-enumerable, symbol-keyed) and array holes or extras are dropped by every encoder.
  if (names.length !== keys.length + (list ? 1 : 0) || Object.getOwnPropertySymbols(value).length > 0)
    return `hidden or symbol-keyed fields at ${at}`;
  if (list && keys.length !== value.length) return `a list with holes or named entries at ${at}`;
  for (const key of keys) {
    if (LONE_SURROGATE.test(key)) return `a lone surrogate in a field name at ${at}`;
    const item = (value as Record<string, unknown>)[key];
    // An undefined field is absent, as in JSON; an undefined list entry would become null.
    if (item === undefined && !list) continue;
    const found = problem(item, list ? `${at}[${key}]` : `${at}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Throws KomojuInvalidRequestError unless `value` is JSON-like data that every
 * encoding sends exactly as written: object literals, arrays, strings, finite numbers,
 * booleans and null, with `undefined` fields left out.
 */
export function assertPlainData(value: unknown, what: "body" | "query"): void {
  const found = problem(value, what, 0);
  if (found) {
    throw new KomojuInvalidRequestError(
      `the ${what} cannot carry ${found}: pass plain objects, arrays, strings, numbers and booleans.`,
      what === "body" ? "invalid_body" : "invalid_query",
    );
  }
}
