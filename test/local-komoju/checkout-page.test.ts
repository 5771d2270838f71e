// The hosted checkout page at session_url, driven in Chromium as a customer would: each
// payment method, both languages, amounts, and the phone-width layout. A failing test
// leaves a screenshot of each of its pages in test-results/.
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatAmount } from "../../packages/komoju-local/src/checkout/i18n.js";
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
let hooks: Server;
/** Webhook deliveries, as the shop's receiver got them: X-Komoju-Event and the body. */
const delivered: { type: string; data: { id: string; status: string } }[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  if (unavailable) return;
  // The merchant's return page: says which session came back.
  shop = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://x").searchParams.get("session_id");
    res.writeHead(200, { "content-type": "text/html" }).end(`<p id="back">returned ${id}</p>`);
  });
  hooks = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      delivered.push({ type: String(req.headers["x-komoju-event"]), data: JSON.parse(body).data });
      res.writeHead(200).end();
    });
  });
  const [shopBase, hooksUrl] = await Promise.all([listen(shop), listen(hooks)]);
  shopUrl = `${shopBase}/return?order=9`;
  [komoju, browser] = await Promise.all([
    startLocalKomoju({ webhookUrls: [`${hooksUrl}/webhooks`], webhookSecret: "whsec_checkout_page" }),
    launchBrowser(found as Exclude<typeof found, { unavailable: string }>, []),
  ]);
  // The npm Chromium runs as a single process that ends when a context closes: one context
  // for the file, and each test's pages closed after it, so none stays open, idling, to the end.
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await komoju?.stop();
  shop?.close();
  hooks?.close();
});

const pages: Page[] = [];
afterEach(async ({ task }) => {
  if (task.result?.state === "fail") {
    mkdirSync("test-results", { recursive: true });
    const name = task.name.replace(/[^\w-]+/g, "-").slice(0, 80);
    await Promise.all(
      pages.map((page, i) =>
        page.screenshot({ path: `test-results/checkout-${name}-${i}.png`, fullPage: true }).catch(() => {}),
      ),
    );
  }
  await Promise.all(pages.splice(0).map((page) => page.close()));
});

interface Options {
  payment_types?: string[];
  default_locale?: string;
  amount?: number;
  currency?: string;
  line_items?: { description: string; amount: number; quantity: number }[];
}

async function openCheckout(options: Options = {}, query = "") {
  const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", {
    amount: 4321,
    currency: "JPY",
    return_url: shopUrl,
    payment_types: ["credit_card", "konbini", "bank_transfer", "paypay"],
    default_locale: "en",
    ...options,
  });
  const page = await context.newPage();
  pages.push(page);
  await page.goto(`${session.session_url}${query}`);
  return { session, page };
}

const sessionNow = async (id: string) => (await call(komoju.url, "GET", `/api/v1/sessions/${id}`)).body;

async function expectReturned(page: Page, id: string) {
  await page.waitForURL((url) => url.href.startsWith(shopUrl.split("?")[0]!));
  expect(new URL(page.url()).searchParams.get("session_id")).toBe(id);
  expect(new URL(page.url()).searchParams.get("order")).toBe("9");
  expect(await page.textContent("#back")).toBe(`returned ${id}`);
}

/** Types a card into the page's card form and submits it. */
async function payByCard(page: Page, number: string) {
  await page.getByLabel("Card number").fill(number);
  await page.getByTestId("card-form").getByRole("button", { name: /^Pay/ }).click();
}

/** Whether the page is wider than the window (a phone would scroll sideways). */
const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe.skipIf(unavailable)("the checkout page at session_url (Chromium)", { timeout: 30_000 }, () => {
  it("a ja session is in Japanese, with ¥ amounts, the merchant, line items and only its methods; the switch shows English", async () => {
    const { page } = await openCheckout({
      default_locale: "ja",
      amount: 8888,
      payment_types: ["credit_card", "konbini"],
      line_items: [
        { description: "緑茶", amount: 2888, quantity: 1 },
        { description: "湯呑み", amount: 3000, quantity: 2 },
      ],
    });
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.textContent("[data-testid=amount]")).toBe("\u00A58,888");
    expect(await page.textContent("[data-testid=merchant]")).toBe("Example Shop");
    await expect.poll(() => page.getByText("お支払い方法").isVisible()).toBe(true);
    expect(await page.getByTestId("line-items").textContent()).toMatch(
      /緑茶[\s\S]*¥2,888[\s\S]*湯呑み[\s\S]*数量 2[\s\S]*¥6,000/,
    );
    expect(await page.locator(".method").evaluateAll((els) => els.map((el) => el.getAttribute("data-method")))).toEqual(
      ["credit_card", "konbini"],
    );
    expect(await page.getByRole("button", { name: "支払う ¥8,888" }).isVisible()).toBe(true);

    await page.getByRole("link", { name: "English" }).click();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.getByText("Payment method").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Pay ¥8,888" }).isVisible()).toBe(true);
    await page.getByRole("link", { name: "日本語" }).click();
    expect(await page.getByRole("button", { name: "支払う ¥8,888" }).isVisible()).toBe(true);
  });

  it("an en session is in English; ?lang=ja switches it", async () => {
    const { page } = await openCheckout({ default_locale: "en" });
    expect(await page.getByLabel("Card number").isVisible()).toBe(true);
    await page.goto(`${page.url()}?lang=ja`);
    expect(await page.getByLabel("カード番号").isVisible()).toBe(true);
  });

  it("amounts are in the currency's smallest unit: JPY and KRW without decimals, USD and EUR with two", async () => {
    for (const [amount, currency, shown] of [
      [8888, "JPY", "¥8,888"],
      [15000, "KRW", "₩15,000"],
      [1999, "USD", "$19.99"],
      [1050, "EUR", "€10.50"],
    ] as const) {
      const { page } = await openCheckout({ amount, currency });
      expect(await page.textContent("[data-testid=amount]"), currency).toBe(shown);
      await page.close();
    }
    // Japanese too writes the half-width yen sign U+00A5, as KOMOJU does (ICU's ja-JP writes U+FFE5).
    expect(formatAmount("ja", 8888, "JPY")).toBe("\u00A58,888");
    expect(formatAmount("ja", 1999, "USD")).toBe("$19.99");
  });

  it("every form field has a label (label for=…)", async () => {
    const { page } = await openCheckout();
    const unlabelled = await page
      .locator("input:not([type=hidden]), select")
      .evaluateAll((els) =>
        els.filter((el) => (el as HTMLInputElement).labels?.length === 0).map((el) => el.outerHTML),
      );
    expect(unlabelled).toEqual([]);
  });

  it("card: prefilled with the success card, it pays and returns to return_url; the session is completed and captured", async () => {
    const { session, page } = await openCheckout();
    expect(await page.getByLabel("Card number").inputValue()).toBe("4111 1111 1111 1111");
    expect(await page.getByTestId("card-brand").textContent()).toBe("Visa");
    await page.getByTestId("card-form").getByRole("button", { name: "Pay ¥4,321" }).click();
    await expectReturned(page, session.id);
    expect(await sessionNow(session.id)).toMatchObject({
      status: "completed",
      payment: {
        status: "captured",
        payment_details: { type: "credit_card", brand: "visa", last_four_digits: "1111", name: "TARO YAMADA" },
      },
    });
  });

  it("the brand is shown as the number is typed, and the listed test cards fill the number in", async () => {
    const { page } = await openCheckout();
    const number = page.getByLabel("Card number");
    for (const [typed, brand] of [
      ["3530111333300000", "JCB"],
      ["378282246310005", "Amex"],
      ["5555555555554444", "Mastercard"],
      ["30569309025904", "Diners"],
      ["4111", "Visa"],
      ["9", ""],
    ]) {
      await number.fill(typed!);
      expect(await page.getByTestId("card-brand").textContent(), typed).toBe(brand);
    }
    await page.getByText("Test cards (KOMOJU test mode)").click();
    const list = (await page.getByTestId("test-cards").textContent()) ?? "";
    for (const listed of ["4123 1111 1111 1000", "4100 0000 0000 5000", "3528 0000 0030 0001", "3056 9309 0259 04"])
      expect(list).toContain(listed);
    await page.getByRole("button", { name: "Use 5100000000005007" }).click();
    expect(await number.inputValue()).toBe("5100 0000 0000 5007");
    expect(await page.getByTestId("card-brand").textContent()).toBe("Mastercard");
  });

  it("a declined card stays on the page with the reason (in the page's language), the session stays payable", async () => {
    const { session, page } = await openCheckout();
    await payByCard(page, "4123111111111000");
    expect(await page.getByRole("alert").textContent()).toBe("The card has insufficient funds.");
    expect(await page.getByLabel("Card number").inputValue()).toBe("4123 1111 1111 1000");
    expect((await sessionNow(session.id)).status).toBe("pending");
    await payByCard(page, "4123111111111075");
    expect(await page.getByRole("alert").textContent()).toBe("The card number is invalid.");

    const ja = await openCheckout({ default_locale: "ja" });
    await ja.page.getByLabel("カード番号").fill("4123111111111059");
    await ja.page.getByRole("button", { name: /^支払う/ }).click();
    expect(await ja.page.getByRole("alert").textContent()).toBe("このカードはご利用いただけません。");
    await ja.page.getByLabel("カード番号").fill("4111111111111111");
    await ja.page.getByRole("button", { name: /^支払う/ }).click();
    await expectReturned(ja.page, ja.session.id);
  });

  it("a mistyped card is refused on the page before anything is paid (number, expiry, CVC)", async () => {
    const { session, page } = await openCheckout();
    await page.getByLabel("Expiry (MM / YY)").fill("13 / 20");
    await page.getByLabel("Security code (CVC)").fill("1");
    await payByCard(page, "4111 1111 1111 1112");
    expect(await page.locator(".fielderr").allTextContents()).toEqual([
      "Enter a valid card number.",
      "Enter a valid expiry date (MM / YY) that has not passed.",
      "Enter the 3 or 4 digit security code.",
    ]);
    expect(await page.getByLabel("Card number").getAttribute("aria-invalid")).toBe("true");
    expect(await sessionNow(session.id)).toMatchObject({ status: "pending", payment: null });
  });

  it("3-D Secure with a challenge: a wrong password fails, 123456 completes the payment", async () => {
    const { session, page } = await openCheckout();
    await payByCard(page, "4100000000005000");
    expect(new URL(page.url()).pathname).toBe(`/three_d_secure/${session.id}`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("3-D Secure authentication");
    await page.getByLabel("Password").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("3-D Secure authentication failed.");
    expect((await sessionNow(session.id)).status).toBe("pending");
    await payByCard(page, "3528000000005006");
    await page.getByLabel("Password").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await expectReturned(page, session.id);
    expect((await sessionNow(session.id)).payment).toMatchObject({
      status: "captured",
      payment_details: { brand: "jcb" },
    });
  });

  it("3-D Secure: the frictionless cards pass without a challenge; the failing cards fail at the challenge or after the redirect", async () => {
    const { session, page } = await openCheckout({ default_locale: "ja" }, "?lang=en");
    await payByCard(page, "5100000000300002");
    await page.getByLabel("Password").fill("111111");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("3-D Secure authentication failed.");
    await payByCard(page, "4100000000300005");
    await page.getByLabel("Password").fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("3-D Secure authentication failed.");
    await payByCard(page, "3528000000500006");
    expect(await page.getByLabel("Password").count()).toBe(0);
    await page.getByRole("button", { name: "Continue" }).click();
    expect(await page.getByRole("alert").textContent()).toBe("The card was declined after 3-D Secure authentication.");
    expect((await sessionNow(session.id)).status).toBe("pending");
    await payByCard(page, "4100000000000100");
    await expectReturned(page, session.id);
    expect((await sessionNow(session.id)).payment.status).toBe("captured");
  });

  it("konbini: the store chosen, the instructions (receipt, code, deadline); paying at the store captures it and sends payment.captured", async () => {
    const { session, page } = await openCheckout({ default_locale: "ja" });
    await page.locator("label[for=m-konbini]").click();
    await page.getByLabel("ローソン").check();
    await page.getByTestId("konbini-form").getByRole("button", { name: "支払う ¥4,321" }).click();
    const { payment } = await sessionNow(session.id);
    expect(payment).toMatchObject({ status: "authorized", payment_details: { type: "konbini", store: "lawson" } });
    expect(await page.getByRole("status").textContent()).toContain("まだお支払いは完了していません");
    expect(await page.getByTestId("store").textContent()).toBe("ローソン");
    expect(await page.getByTestId("receipt").textContent()).toBe(payment.payment_details.receipt);
    expect(await page.getByTestId("confirmation-code").textContent()).toBe(payment.payment_details.confirmation_code);
    const deadline = new Date(payment.payment_deadline);
    const day = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "long" }).format(deadline);
    expect(await page.getByTestId("deadline").textContent()).toContain(day);
    expect(delivered.some((d) => d.type === "payment.captured" && d.data.id === payment.id)).toBe(false);

    await page.getByRole("button", { name: "店頭での支払いをシミュレートする" }).click();
    expect(await page.getByRole("status").textContent()).toBe("お支払いを受け付けました。");
    expect((await sessionNow(session.id)).payment.status).toBe("captured");
    await expect
      .poll(() => delivered.find((d) => d.type === "payment.captured" && d.data.id === payment.id), { timeout: 10_000 })
      .toMatchObject({ data: { status: "captured" } });
    await page.getByTestId("return").click();
    await expectReturned(page, session.id);
  });

  it("konbini: the shop is told the truth on return (authorized, not captured), and the instructions stay at session_url", async () => {
    const { session, page } = await openCheckout();
    await page.locator("label[for=m-konbini]").click();
    await page.getByTestId("konbini-form").getByRole("button").click();
    await page.getByTestId("return").click();
    await expectReturned(page, session.id);
    expect((await sessionNow(session.id)).payment.status).toBe("authorized");
    await page.goto(session.session_url);
    expect(await page.getByTestId("receipt").isVisible()).toBe(true);
  });

  it("bank transfer: the account to transfer to, from the payment's details, with the deadline", async () => {
    const { session, page } = await openCheckout();
    await page.locator("label[for=m-bank_transfer]").click();
    await page.getByTestId("bank-transfer-form").getByRole("button", { name: "Pay ¥4,321" }).click();
    const { payment } = await sessionNow(session.id);
    expect(payment).toMatchObject({ status: "authorized", payment_details: { type: "bank_transfer" } });
    for (const [id, field] of [
      ["bank-name", "bank_name"],
      ["branch", "account_branch_name"],
      ["account-number", "account_number"],
      ["account-name", "account_name"],
    ])
      expect(await page.getByTestId(id!).textContent(), field).toBe(payment.payment_details[field!]);
    expect(await page.getByTestId("amount-due").textContent()).toBe("¥4,321");
    expect(await page.getByTestId("deadline").textContent()).toMatch(/\d{4}.*JST/);
    await page.getByRole("button", { name: "Simulate the transfer arriving" }).click();
    expect((await sessionNow(session.id)).payment.status).toBe("captured");
  });

  it("PayPay: the stand-in page approves (paid, back to the shop) or declines (back to the page, still payable)", async () => {
    const { session, page } = await openCheckout();
    await page.locator("label[for=m-paypay]").click();
    await page.getByRole("button", { name: "Continue to PayPay" }).click();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("PayPay (simulated)");
    await page.getByRole("button", { name: "Decline" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("declined in PayPay");
    expect(await sessionNow(session.id)).toMatchObject({ status: "pending", payment: null });
    await page.getByRole("button", { name: "Continue to PayPay" }).click();
    await page.getByRole("button", { name: "Approve payment" }).click();
    await expectReturned(page, session.id);
    expect((await sessionNow(session.id)).payment).toMatchObject({
      status: "captured",
      payment_details: { type: "paypay" },
    });
  });

  it("a cancelled session says so instead of offering to pay", async () => {
    const { session, page } = await openCheckout();
    await call(komoju.url, "POST", `/api/v1/sessions/${session.id}/cancel`);
    await page.reload();
    expect(await page.getByRole("status").textContent()).toBe("The shop cancelled this payment.");
    expect(await page.getByTestId("card-form").count()).toBe(0);
  });

  it("at 390 px (a phone) nothing scrolls sideways: the checkout with its test cards, konbini instructions, 3-D Secure", async () => {
    const { page } = await openCheckout({
      default_locale: "ja",
      line_items: [{ description: "とても長い商品名のテスト用アイテム（限定版）", amount: 4321, quantity: 1 }],
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByText("テストカード（KOMOJU テストモード）").click();
    expect(await overflows(page)).toBe(false);
    const box = await page
      .getByTestId("card-form")
      .getByRole("button", { name: /^支払う/ })
      .boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.getByLabel("カード番号").fill("4100000000005000");
    await page.getByRole("button", { name: /^支払う/ }).click();
    await page.waitForURL(/three_d_secure/);
    expect(await overflows(page)).toBe(false);
    await page.goBack();
    await page.locator("label[for=m-konbini]").click();
    expect(await overflows(page)).toBe(false);
    await page.getByTestId("konbini-form").getByRole("button").click();
    await page.getByTestId("receipt").waitFor();
    expect(await overflows(page)).toBe(false);
  });
});
