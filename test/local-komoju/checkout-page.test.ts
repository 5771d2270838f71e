import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findBrowser, launchBrowser } from "../support/browser.js";
import { call, type LocalKomoju, startLocalKomoju } from "./support.js";

const found = await findBrowser();
const unavailable = "unavailable" in found ? found.unavailable : undefined;
if (unavailable) console.warn(`Skipping the checkout page test: ${unavailable}`);

let komoju: LocalKomoju;
let browser: Browser;
let context: BrowserContext;
let shop: Server;
let shopUrl = "";

beforeAll(async () => {
  if (unavailable) return;
  // The merchant's return page: says which session came back.
  shop = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://x").searchParams.get("session_id");
    res.writeHead(200, { "content-type": "text/html" }).end(`<p id="back">returned ${id}</p>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/return?order=9`;
  [komoju, browser] = await Promise.all([
    startLocalKomoju(),
    launchBrowser(found as Exclude<typeof found, { unavailable: string }>, []),
  ]);
  // The npm Chromium runs as a single process that ends when a context closes: one context
  // for the file, and each test's pages closed after it, so none stays open, idling, to the end.
  context = await browser.newContext();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await komoju?.stop();
  shop?.close();
});

const pages: Page[] = [];
afterEach(async () => {
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

async function openCheckout(payment_types = ["credit_card", "konbini", "bank_transfer"]) {
  const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", {
    amount: 4321,
    currency: "JPY",
    return_url: shopUrl,
    payment_types,
  });
  const page = await context.newPage();
  pages.push(page);
  await page.goto(session.session_url);
  return { session, page };
}

async function expectReturned(page: Page, id: string) {
  await page.waitForURL((url) => url.href.startsWith(shopUrl.split("?")[0]!));
  expect(new URL(page.url()).searchParams.get("session_id")).toBe(id);
  expect(new URL(page.url()).searchParams.get("order")).toBe("9");
  expect(await page.textContent("#back")).toBe(`returned ${id}`);
}

describe.skipIf(unavailable)("the checkout page at session_url (Chromium)", { timeout: 30_000 }, () => {
  it("shows the amount, the merchant and only the session's methods", async () => {
    const { page } = await openCheckout(["credit_card", "konbini"]);
    expect(await page.textContent("[data-testid=amount]")).toContain("4,321");
    expect(await page.textContent("h1")).toBe("Example Shop");
    expect(await page.getByRole("button", { name: "Pay by card" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Pay at Lawson" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Pay by bank transfer" }).count()).toBe(0);
  });

  it("pays by card, then returns to return_url with session_id; the session is completed and captured", async () => {
    const { session, page } = await openCheckout();
    await page.getByRole("button", { name: "Pay by card" }).click();
    await expectReturned(page, session.id);
    const after = await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`);
    expect(after.body).toMatchObject({
      status: "completed",
      payment: { status: "captured", payment_details: { type: "credit_card" } },
    });
  });

  it("a declined card stays on the page with the reason, and the session stays payable", async () => {
    const { session, page } = await openCheckout();
    await page.getByRole("button", { name: "Declined card" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("The card was declined.");
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`)).body.status).toBe("pending");
    await page.getByRole("button", { name: "Pay at Lawson" }).click();
    await expectReturned(page, session.id);
  });

  it("3-D Secure: a wrong password fails, the right one completes the payment", async () => {
    const { session, page } = await openCheckout();
    await page.getByRole("button", { name: "Card with 3-D Secure" }).click();
    await page.getByLabel(/Password/).fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("3-D Secure authentication failed.");
    await page.getByRole("button", { name: "Card with 3-D Secure" }).click();
    await page.getByLabel(/Password/).fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await expectReturned(page, session.id);
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`)).body.payment.status).toBe("captured");
  });

  it("konbini and bank transfer authorize and return", async () => {
    for (const button of ["Pay at Lawson", "Pay by bank transfer"]) {
      const { session, page } = await openCheckout();
      await page.getByRole("button", { name: button }).click();
      await expectReturned(page, session.id);
      const after = await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`);
      expect(after.body.payment.status, button).toBe("authorized");
    }
  });
});
