// Writes docs/index.html: the spec rendered by Redoc, fully self-contained.
// `--inlineBundle` embeds Redoc's script instead of loading it from Redocly's CDN, and
// the "API docs by Redocly" footer logo, the one thing the page would still fetch from
// the network, is swapped for an inline image saying the same. Redoc renders from a
// bundle whose Markdown paragraphs are unwrapped onto one line, so its search keeps
// the spaces (scripts/unwrap-markdown.mjs).
//
// `--bundle <file>` renders that bundle instead of bundling openapi/ again: npm test
// passes generated/openapi.json, which its generate:check step proves is the fresh
// bundle of openapi/ (a stale one fails the run), and saves a Redocly process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redocly as run } from "./redocly.mjs";
import { unwrapDescriptions } from "./unwrap-markdown.mjs";

// Nothing on the page is cut off, at a desktop's 1280 px or a phone's 390 px
// (test/docs/docs-browser.test.ts looks at every table and code block at both). A line
// scrolled out of its box looks cut, since headless and overlay-scrollbar browsers show
// no scrollbar, so nothing scrolls sideways:
// - Tables hold codes (`service_unavailable`): a code wraps as a whole, never mid-word.
//   A table whose columns cannot fit its box (the errors table beside the samples panel,
//   any table on a phone) shows each row as "Column: value" lines instead; SCRIPT marks it.
// - Code wraps its long lines (the copy button copies the source unchanged).
// - Labels Redoc would cut with an ellipsis (an example's summary, a long path, a
//   variant's name) wrap.
const STYLE = `<style>
table code{white-space:nowrap;word-break:keep-all;overflow-wrap:normal}
table.komoju-rows,table.komoju-rows tbody,table.komoju-rows tr,table.komoju-rows td{display:block!important;width:auto!important}
table.komoju-rows thead{display:none!important}
table.komoju-rows tr{padding:8px 0}
table.komoju-rows tr+tr{border-top:1px solid #d9d9d9}
table.komoju-rows td{border:0!important;padding:2px 12px!important}
table.komoju-rows td::before{content:attr(data-label) " ";font-weight:600}
pre,pre code{white-space:pre-wrap!important;overflow-wrap:anywhere}
main button,main button span{white-space:normal!important;text-overflow:clip!important;overflow:visible!important;overflow-wrap:anywhere;height:auto!important;text-align:start}
</style>`;
// Redoc renders tables as the reader scrolls; each one, when it appears and whenever its
// box changes size, is laid out as a table and, if wider than its box, as rows instead.
const SCRIPT = `<script>(() => {
  const fit = (table) => {
    table.classList.remove("komoju-rows");
    if (table.scrollWidth > table.parentElement.clientWidth) table.classList.add("komoju-rows");
  };
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => fit(entry.target.firstElementChild)));
  const label = (table) => {
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim().replace(/[^?:]$/, (last) => \`\${last}:\`));
    for (const row of table.querySelectorAll("tbody tr"))
      [...row.children].forEach((cell, i) => cell.setAttribute("data-label", heads[i] ?? ""));
  };
  new MutationObserver(() => {
    for (const table of document.querySelectorAll(".md-table-wrapper > table:not([data-komoju-fit])")) {
      table.setAttribute("data-komoju-fit", "");
      label(table);
      fit(table);
      resized.observe(table.parentElement);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();</script>`;

// Redoc 3.0.1 fails to render a property whose schema is `false` ("must be absent", as
// PaymentCreateRequest's variants forbid the other of payment_details and customer): Create
// a payment logged React error #520 when opened. The page gets the same meaning as
// `{ not: {} }`; the spec and the types keep `false` (openapi-typescript reads it as `never`).
function absentAsNot(node) {
  if (Array.isArray(node)) return node.map(absentAsNot);
  if (!node || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, absentAsNot(value)]));
  if (copy.properties && typeof copy.properties === "object" && !Array.isArray(copy.properties))
    for (const [name, schema] of Object.entries(copy.properties))
      if (schema === false) copy.properties[name] = { not: {} };
  return copy;
}

function redocly(args) {
  const { status, signal, stderr } = run(args, { stdio: ["ignore", "ignore", "pipe"] });
  if (status !== 0) throw new Error(`redocly ${args[0]} failed (${signal ?? `exit code ${status}`}):\n${stderr}`);
}

const bundleFlag = process.argv.indexOf("--bundle");
const given = bundleFlag === -1 ? undefined : process.argv[bundleFlag + 1];
if (bundleFlag !== -1 && !given) throw new Error("--bundle needs the path of a bundled spec.");

const tmp = mkdtempSync(join(tmpdir(), "komoju-docs-"));
try {
  const bundle = join(tmp, "openapi.json");
  if (!given) redocly(["bundle", "openapi/openapi.yaml", "-o", bundle]);
  writeFileSync(
    bundle,
    JSON.stringify(absentAsNot(unwrapDescriptions(JSON.parse(readFileSync(given ?? bundle, "utf8"))))),
  );
  const raw = join(tmp, "index.html");
  redocly(["build-docs", bundle, "--inlineBundle", "--title", "KOMOJU API · komoju-ts", "-o", raw]);
  const logo = (text) =>
    `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${text.length * 8}" height="18"><text x="0" y="14" font-family="sans-serif" font-size="13" fill="#777">${text}</text></svg>`)}`;
  const remoteLogos = {
    "https://cdn.redoc.ly/redoc/logo-mini-full.svg": logo("Redocly"),
    "https://cdn.redoc.ly/redoc/logo-mini.svg": logo("R"),
  };
  let html = readFileSync(raw, "utf8");
  for (const [url, inline] of Object.entries(remoteLogos)) {
    if (!html.includes(url)) throw new Error(`Redoc no longer references ${url}; re-check what the docs page loads.`);
    html = html.replaceAll(url, inline);
  }
  if (!html.includes("</head>")) throw new Error("Redoc's page has no </head> to put the table style in.");
  // A function, so no "$&" in the inserted text is read as a replacement pattern.
  html = html.replace("</head>", () => `${STYLE}${SCRIPT}</head>`);
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/index.html", html);
  console.log(`Wrote docs/index.html (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
