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

// Tables hold codes (`service_unavailable`): a code wraps as a whole, never mid-word.
const STYLE = "<style>table code{white-space:nowrap;word-break:keep-all;overflow-wrap:normal}</style>";

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
  writeFileSync(bundle, JSON.stringify(unwrapDescriptions(JSON.parse(readFileSync(given ?? bundle, "utf8")))));
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
  html = html.replace("</head>", `${STYLE}</head>`);
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/index.html", html);
  console.log(`Wrote docs/index.html (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
