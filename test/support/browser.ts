// Launches the Chromium that scripts/find-browser.mjs finds (CHROMIUM_PATH, a system
// browser, or the one inside the @sparticuz/chromium devDependency).
import { createRequire } from "node:module";
import type { Browser, BrowserType } from "playwright-core";
import type { FoundBrowser } from "../../scripts/find-browser.mjs";

export { findBrowser } from "../../scripts/find-browser.mjs";

export function launchBrowser(found: FoundBrowser, flags: string[]): Promise<Browser> {
  // Through require(): imported as ESM, Node would scan Playwright's CommonJS for its
  // exports in each worker that drives a browser.
  const { chromium } = createRequire(import.meta.url)("playwright-core") as { chromium: BrowserType };
  return chromium.launch({
    executablePath: found.executablePath,
    args: [...found.args, ...flags],
    headless: true,
    ...(found.env && { env: { ...process.env, ...found.env } }),
  });
}
