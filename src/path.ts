import { KomojuInvalidRequestError } from "./errors.js";

// A lone surrogate cannot be percent-encoded (encodeURIComponent throws a URIError).
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A caller's value as one encoded path segment. Refused, before anything is sent: a
 * non-string, an empty or blank string, `.` and `..` (URL parsers resolve them, even
 * encoded, into another path), and lone surrogates.
 */
export function pathSegment(value: unknown, name: string, where: string): string {
  const problem =
    typeof value !== "string" || value.trim() === ""
      ? "must be a non-empty string"
      : value === "." || value === ".."
        ? `must not be "${value}"`
        : LONE_SURROGATE.test(value)
          ? "must not contain a lone surrogate"
          : undefined;
  if (problem) throw new KomojuInvalidRequestError(`${where}: ${name} ${problem}.`, "invalid_path_parameter", { param: name });
  return encodeURIComponent(value as string);
}
