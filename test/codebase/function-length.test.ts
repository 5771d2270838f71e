// The shipped code stays readable in one screen per function: the client (src/) and the
// local KOMOJU. A function that outgrows the limit is split into named steps.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const MAX_LINES = 80;
const FOLDERS = ["src", "packages/komoju-local/src"];

function typescriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every function in `text` longer than `limit` lines, as `file:line name (n lines)`. */
function longFunctions(file: string, text: string, limit = MAX_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.end).line - first + 1;
      const name = "name" in node && node.name ? node.name.getText(source) : "(anonymous)";
      if (lines > limit) found.push(`${file}:${first + 1} ${name} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe(`no function in ${FOLDERS.join(" or ")} is longer than ${MAX_LINES} lines`, () => {
  it("finds a long function when there is one", () => {
    const body = Array.from({ length: MAX_LINES }, (_, i) => `  const a${i} = ${i};`).join("\n");
    expect(longFunctions("x.ts", `function long() {\n${body}\n}`)).toEqual([`x.ts:1 long (${MAX_LINES + 2} lines)`]);
    expect(longFunctions("x.ts", `const short = () => {\n${body.split("\n").slice(2).join("\n")}\n};`)).toEqual([]);
  });

  it.each(FOLDERS)("%s", (folder) => {
    const files = typescriptFiles(folder);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => longFunctions(file, readFileSync(file, "utf8")))).toEqual([]);
  });
});
