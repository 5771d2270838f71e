/**
 * A header value Node will send: every character outside printable ASCII written as a
 * JSON `\uXXXX` escape. Prism's findings quote whatever the request held (a property
 * named `日本`), and a header holding such text makes Node throw; in the JSON that
 * `sl-violations` carries, the escape reads back as the same text.
 */
export function headerSafe(text: string): string {
  return text.replace(/[^\t\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
