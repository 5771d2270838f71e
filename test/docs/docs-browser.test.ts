import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findBrowser, launchBrowser } from "../support/browser.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCS = fileURLToPath(new URL("../../docs/index.html", import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
// CHROMIUM_PATH, a system Chromium or Chrome, or the npm one (scripts/find-browser.mjs).
// Where none can run (never on Linux), the suite is skipped with a note saying how to enable it.
const found = await findBrowser();
if ("unavailable" in found) console.warn(`Skipping the docs browser test. ${found.unavailable}`);
// The flags that keep Chromium from reaching out on its own (updates, sync, …), so
// the only requests left are the page's.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Operation {
  summary: string;
  tags: string[];
  operationId: string;
}
// The bundled spec read as plain JSON: test/support/spec.ts would also build its Ajv
// validators, which this file never uses.
const spec = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8")) as Record<
  "paths" | "webhooks",
  Record<string, Record<string, Operation>>
>;
/** The sidebar's groups: each tag with the summaries of its operations and webhooks, from the bundled spec. */
const operationsByTag = new Map<string, string[]>();
for (const item of [...Object.values(spec.paths), ...Object.values(spec.webhooks)]) {
  for (const operation of Object.values(item)) {
    if (!operation?.summary) continue;
    const tag = operation.tags[0]!;
    operationsByTag.set(tag, [...(operationsByTag.get(tag) ?? []), operation.summary]);
  }
}

/** Redoc's route of each API operation (`#/sessions/createsession`), with its summary. */
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
const apiOperations = Object.values(spec.paths)
  .flatMap((item) => Object.values(item))
  .filter((operation) => operation?.operationId)
  .map(({ summary, tags, operationId }) => ({ summary, route: `#/${slug(tags[0]!)}/${operationId.toLowerCase()}` }));
/** Every page of the docs: the introduction, each operation, the webhook and the Errata, each with its heading. */
const pages = [
  { summary: "Errors", route: "#/section/errors" },
  ...apiOperations,
  { summary: Object.values(spec.webhooks.event!)[0]!.summary, route: "#/webhooks/receiveevent" },
  { summary: "Errata", route: "#/errata" },
];

/**
 * Runs in the page: what is cut off among the tables, code blocks and labels rendered so
 * far, each as "<section>: <what>". Cut off is content wider than its box that the box
 * hides (overflow hidden or clip), or scrolls without a scrollbar showing (headless and
 * overlay-scrollbar browsers show none, so the line reads as cut), or text ended by an
 * ellipsis. The section is the heading the element follows.
 */
function cutOff(): string[] {
  const headings = [...document.querySelectorAll("main h1, main h2")];
  const sectionOf = (element: Element) =>
    headings.filter((heading) => heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING).pop()
      ?.textContent ?? "(before any heading)";
  const found = new Set<string>();
  const candidates = [
    ...document.querySelectorAll("main table, main .md-table-wrapper, main pre, main pre code, main *"),
  ].filter((element, index, all) => all.indexOf(element) === index);
  for (const element of candidates) {
    if (element.getClientRects().length === 0) continue;
    const style = getComputedStyle(element);
    const wider = element.scrollWidth > element.clientWidth + 1;
    const isBlock = element.matches("table, .md-table-wrapper, pre, pre code");
    const scrollbar =
      (element as HTMLElement).offsetHeight -
        element.clientHeight -
        Number.parseFloat(style.borderTopWidth) -
        Number.parseFloat(style.borderBottomWidth) >
      0;
    const hidden =
      ["hidden", "clip"].includes(style.overflowX) || (["auto", "scroll"].includes(style.overflowX) && !scrollbar);
    const what = `${element.tagName.toLowerCase()} «${(element.textContent ?? "").trim().slice(0, 40)}»`;
    if (isBlock && wider && hidden)
      found.add(`${sectionOf(element)}: ${what} is ${element.scrollWidth} px wide in ${element.clientWidth} px`);
    else if (style.textOverflow === "ellipsis" && wider)
      found.add(`${sectionOf(element)}: ${what} ends in an ellipsis`);
  }
  return [...found];
}

/**
 * Runs in the page: the language and the start of the request sample shown beside the
 * operation headed `summary`.
 */
function requestSample(summary: string): { language: string; code: string } {
  const headings = [...document.querySelectorAll("main h1, main h2")];
  const at = headings.findIndex((heading) => heading.textContent === summary);
  const [heading, next] = [headings[at], headings[at + 1]];
  const panel = [...document.querySelectorAll(".panel-request-samples")].find(
    (element) =>
      heading &&
      heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING &&
      (!next || element.compareDocumentPosition(next) & Node.DOCUMENT_POSITION_FOLLOWING),
  );
  const header = panel?.querySelector('[data-component-name="Panel/PanelHeader"]');
  return {
    language: header?.querySelector('[data-component-name="Dropdown/Dropdown"]:last-child')?.textContent?.trim() ?? "",
    code: panel?.querySelector("pre")?.textContent?.slice(0, 60) ?? "",
  };
}

/**
 * Runs in the page: clicks `tag`'s sidebar group unless its first operation is there
 * (shown or still folding away), then returns the sidebar's visible labels.
 */
function openGroupAndListSidebar({ tag, first }: { tag: string; first: string }): string[] {
  const labels = [...document.querySelectorAll(".menu-content [data-testid=menu-item-label]")];
  const text = (label: Element) => label.querySelector("[data-text]")?.getAttribute("data-text") ?? "";
  if (!labels.some((label) => text(label) === first))
    (labels.find((label) => text(label) === tag) as HTMLElement | undefined)?.click();
  return labels.filter((label) => label.getClientRects().length > 0).map(text);
}

let browser: Browser;
let page: Page;
const requests: string[] = [];
const blocked: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  // The docs as `npm run docs` writes them, built here (from the bundle generate:check
  // proves fresh) while the browser starts, so the test never looks at a stale page and
  // npm test need not hold every other test back until the docs are written.
  const built = promisify(execFile)(
    process.execPath,
    ["scripts/build-docs.mjs", "--bundle", "generated/openapi.json"],
    { cwd: ROOT },
  );
  if ("unavailable" in found) return void (await built);
  [browser] = await Promise.all([launchBrowser(found, FLAGS), built]);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // Every host but the file itself is unreachable.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    blocked.push(url);
    return route.abort("internetdisconnected");
  });
  page = await context.newPage();
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(DOCS).href);
  await page.getByText("Authentication", { exact: true }).first().waitFor({ timeout: 30_000 });
}, 60_000);

// A screenshot of the page as a failing test left it, named after the test: the
// evidence a reader needs, taken only when there is something to see.
afterEach(async ({ task }) => {
  if (task.result?.state !== "fail" || !page) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}docs-${task.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png` });
});

afterAll(async () => {
  await browser?.close();
});

// A browser on a busy 2-core CI machine needs more than vitest's default 5 s per step.
describe.skipIf("unavailable" in found)("docs/index.html in a real browser, offline", { timeout: 60_000 }, () => {
  it("is one self-contained file", () => {
    expect(statSync(DOCS).size).toBeGreaterThan(1_000_000);
  });

  it("renders the introduction, every operation and the webhook", async () => {
    for (const section of ["Authentication", "Idempotency", "API versions", "Errors", "Webhook signatures", "Errata"]) {
      await expect(page.getByText(section, { exact: true }).first().isVisible()).resolves.toBe(true);
    }
    // Open every tag's sidebar group; every operation and the webhook must then be listed.
    // Redoc opens the group of whichever section the content scrolls past and closes the
    // others, and a click on an open group closes it: on a loaded machine its scroll-spy can
    // close the group just opened (seen once in CI), so a group found closed is clicked again.
    // Each look is one page function, polled every 200 ms: Playwright's locators poll on
    // every animation frame, and each frame has Chromium redraw the page.
    for (const [tag, summaries] of operationsByTag) {
      await expect
        .poll(() => page.evaluate(openGroupAndListSidebar, { tag, first: summaries[0]! }), {
          timeout: 15_000,
          interval: 200,
        })
        .toEqual(expect.arrayContaining(summaries));
    }
    // The webhook's signature header as rendered text: page.content() also holds it in the
    // copy of the spec Redoc embeds in a script, so finding it there proved no rendering.
    await page.getByText("X-Komoju-Signature", { exact: true }).first().waitFor({ state: "visible", timeout: 5_000 });
  });

  it("keeps every code in a table whole: none is broken across lines", async () => {
    await page.getByText("Errors", { exact: true }).first().click();
    const broken = await page
      .locator("table code")
      .evaluateAll((codes) => codes.filter((code) => code.getClientRects().length > 1).map((code) => code.textContent));
    expect(await page.locator("table code").count()).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });

  // Before any test picks a language: Redoc remembers the reader's choice.
  it("opens every operation on its komoju-ts sample, and cuts nothing off at 1280 px or 390 px", async () => {
    const samples: Record<string, { language: string; code: string }> = {};
    const cut: string[] = [];
    try {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const { summary, route } of pages) {
          await page.evaluate((hash) => (location.hash = hash), route);
          await page.locator("h1:visible, h2:visible", { hasText: summary }).first().waitFor({ timeout: 10_000 });
          // Two frames: Redoc's layout and the docs' table fitting (ResizeObserver) settle.
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
          if (apiOperations.some((operation) => operation.route === route))
            samples[`${width} px ${summary}`] = await page.evaluate(requestSample, summary);
          for (const problem of await page.evaluate(cutOff)) cut.push(`${width} px, ${problem}`);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    expect(Object.keys(samples)).toHaveLength(apiOperations.length * 2);
    for (const [where, sample] of Object.entries(samples)) {
      expect(sample.language, where).toBe("komoju-ts");
      expect(sample.code, where).toMatch(/^import \{[^}]*\} from "komoju-ts";/);
    }
    expect([...new Set(cut)]).toEqual([]);
  });

  it("search excerpts keep the spaces of wrapped Markdown lines", async () => {
    await page.keyboard.press("Control+K");
    // "an empty" ends a line of the introduction's source and "password" starts the next.
    // The query arrives in one input event, as pasted, into whatever Control+K focused: typed
    // key by key, Redoc would search and re-render for every prefix.
    await page.keyboard.insertText("empty password");
    // An excerpt starts with an ellipsis, which tells it from the introduction behind the search box.
    await page
      .getByText(/^\.\.\.HTTP Basic authentication .* an empty password:/)
      .first()
      .waitFor({ state: "visible", timeout: 10_000 });
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Escape");
  });

  it("finds an operation through search and opens it", async () => {
    await page.keyboard.press("Control+K");
    await page.keyboard.insertText("cancel");
    const hit = page.getByText(/\/api\/v1\/sessions\/\{id\}\/cancel/).first();
    await hit.waitFor({ state: "visible", timeout: 10_000 });
    // A DOM click on the result itself: a pointer click can land on the list while
    // it is still re-rendering under a slow, loaded machine.
    await hit.dispatchEvent("click");
    await expect.poll(() => page.url()).toMatch(/#\/sessions\/cancelsession$/);
    await page.locator("h1:visible, h2:visible", { hasText: "Cancel a session" }).first().waitFor({ timeout: 5_000 });
  });

  it("logs no console errors", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("sends no request anywhere but the file itself", () => {
    expect(blocked).toEqual([]);
    expect(requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });
});
