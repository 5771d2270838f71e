// Writes docs/index.html: the spec rendered by Redoc, fully self-contained.
// `--inlineBundle` embeds Redoc's script instead of loading it from Redocly's CDN, and
// the "API docs by Redocly" footer logo, the one thing the page would still fetch from
// the network, is swapped for an inline image saying the same.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const tmp = mkdtempSync(join(tmpdir(), "komoju-docs-"));
try {
  const raw = join(tmp, "index.html");
  execFileSync(
    join("node_modules", ".bin", "redocly"),
    ["build-docs", "openapi/openapi.yaml", "--inlineBundle", "--title", "KOMOJU Sessions API · komoju-ts", "-o", raw],
    { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" }, stdio: ["ignore", "ignore", "pipe"] },
  );
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
  mkdirSync("docs", { recursive: true });
  writeFileSync("docs/index.html", html);
  console.log(`Wrote docs/index.html (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
