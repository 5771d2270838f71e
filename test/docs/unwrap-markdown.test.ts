import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script, without declarations
import { unwrapDescriptions, unwrapParagraphs } from "../../scripts/unwrap-markdown.mjs";

describe("unwrapParagraphs (the docs' search keeps the spaces of wrapped lines)", () => {
  it("joins a paragraph's lines with one space", () => {
    expect(unwrapParagraphs("HTTP Basic with an empty\npassword: the key\n  picks the mode.\n\nNext paragraph.")).toBe(
      "HTTP Basic with an empty password: the key picks the mode.\n\nNext paragraph.",
    );
  });

  it("leaves headings, tables, list items, fenced and indented code, and hard breaks on their own lines", () => {
    const markdown = [
      "# Errors",
      "Every answer carries",
      "an envelope.",
      "| Status | Code |",
      "|---|---|",
      "| 404 | `not_found` |",
      "- one item that wraps",
      "  onto a second line",
      "- two",
      "1. first",
      "```sh",
      "curl -u sk_test_xxx: \\",
      "  https://komoju.com",
      "```",
      "    indented code",
      "    more code",
      "a hard break  ",
      "after it",
    ].join("\n");
    expect(unwrapParagraphs(markdown).split("\n")).toEqual([
      "# Errors",
      "Every answer carries an envelope.",
      "| Status | Code |",
      "|---|---|",
      "| 404 | `not_found` |",
      "- one item that wraps onto a second line",
      "- two",
      "1. first",
      "```sh",
      "curl -u sk_test_xxx: \\",
      "  https://komoju.com",
      "```",
      "    indented code",
      "    more code",
      "a hard break  ",
      "after it",
    ]);
  });

  it("rewrites every description of a document and nothing else", () => {
    const doc = {
      info: { description: "a\nb", title: "x\ny" },
      paths: { "/p": { get: { description: "c\nd", summary: "e\nf" } } },
      list: [{ description: "g\nh" }],
    };
    expect(unwrapDescriptions(doc)).toEqual({
      info: { description: "a b", title: "x\ny" },
      paths: { "/p": { get: { description: "c d", summary: "e\nf" } } },
      list: [{ description: "g h" }],
    });
  });
});
