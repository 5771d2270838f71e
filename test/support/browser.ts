// Launches the Chromium that scripts/find-browser.mjs finds (CHROMIUM_PATH, a system
// browser, or the one inside the @sparticuz/chromium devDependency).
import { createRequire } from "node:module";
import type { Browser, BrowserType } from "playwright-core";
import type { FoundBrowser } from "../../scripts/find-browser.mjs";

export { type FoundBrowser, findBrowser, type NoBrowser } from "../../scripts/find-browser.mjs";

export function launchBrowser(found: FoundBrowser, flags: string[]): Promise<Browser> {
  // Through require(): imported as ESM, Node scans Playwright's CommonJS for its exports,
  // 0.35 s of CPU more in each worker that drives a browser.
  const { chromium } = createRequire(import.meta.url)("playwright-core") as { chromium: BrowserType };
  return chromium.launch({
    executablePath: found.executablePath,
    args: [...found.args, ...flags],
    headless: true,
    ...(found.env && { env: { ...process.env, ...found.env } }),
  });
}
