// Joins the soft-wrapped lines of Markdown paragraphs. Redoc's search index drops the
// line breaks of hard-wrapped text without putting a space in their place ("an
// empty\npassword" is indexed as "emptypassword"), while Markdown renders a paragraph
// the same on one line or many.

// A line that starts a Markdown block of its own, and so is never joined to the one before.
const BLOCK_START = /^(\s*$|\s*[|#>]|\s*[-*+]\s|\s*\d+[.)]\s|\s*```|\s{4})/;
// A line that nothing may be joined to: blank, a table row, a heading, a fence, a hard break.
const BLOCK_END = /^\s*$|^\s*[|#]|^\s*```| {2}$|^\s{4}/;

/** Leaves tables, headings, code and each list item's first line where they are. */
export function unwrapParagraphs(markdown) {
  const out = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    const previous = out[out.length - 1];
    if (!fenced && previous !== undefined && !BLOCK_START.test(line) && !BLOCK_END.test(previous)) {
      out[out.length - 1] = `${previous} ${line.trim()}`;
      continue;
    }
    if (/^\s*```/.test(line)) fenced = !fenced;
    out.push(line);
  }
  return out.join("\n");
}

/** Every `description` string in an OpenAPI document, unwrapped. */
export function unwrapDescriptions(node) {
  if (Array.isArray(node)) return node.map(unwrapDescriptions);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === "description" && typeof value === "string" ? unwrapParagraphs(value) : unwrapDescriptions(value),
    ]),
  );
}
