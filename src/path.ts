import { KomojuInvalidRequestError } from "./errors.js";

/**
 * A caller's value as one encoded path segment. Refused before anything is sent: a
 * non-string, a blank string, `.` and `..` (URL parsers resolve them, even encoded, into
 * another path), and lone surrogates (which cannot be percent-encoded).
 */
export function pathSegment(value: unknown, name: string, where: string): string {
  if (typeof value !== "string" || value.trim() === "" || /^\.\.?$|\p{Cs}/u.test(value)) {
    throw new KomojuInvalidRequestError(
      `${where}: ${name} must be a non-empty string, not "." or "..", without lone surrogates.`,
      "invalid_path_parameter",
      { param: name },
    );
  }
  return encodeURIComponent(value);
}
