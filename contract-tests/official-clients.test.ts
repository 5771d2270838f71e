import { describe, expect, it } from "vitest";
import { schemaValidator, violations } from "../test/support/spec.js";
import { formViolations } from "./support/form-check.js";
import { isMock, target, violationsOf } from "./support/target.js";

/**
 * The request bodies KOMOJU's own clients send to the real API, replayed
 * through Prism in the encoding each client uses. KOMOJU accepts them, so the mock must
 * too; a copy of each with one field name misspelt must still be refused.
 */
interface Shape {
  client: string;
  /** Where the shape comes from: repository and file, or the SDK model. */
  source: string;
  operation: "create" | "pay";
  body: Record<string, unknown>;
  /** The key to misspell for the mutant, as a path into the body. */
  misspell: string[];
}

const token = "tok_1a2b3c4d5e6f7g8h9i0j";
const sessionId = "e9x5mvx3jkpkofzcg7umfael6";
const fraudDetails = {
  customer_ip: "203.0.113.7",
  customer_email: "",
  browser_language: "ja",
  browser_user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)",
};

const jsonShapes: Shape[] = [
  {
    client: "the seed's Ruby sample",
    source: "KOMOJU Sessions reference, Ruby Create sample",
    operation: "create",
    body: {
      default_locale: "ja",
      email: "test@example.com",
      metadata: { test: "value" },
      amount: "8888",
      currency: "JPY",
      payment_data: { external_order_num: "my_custom_order", name: "John", name_kana: "ジョン" },
      payment_types: ["credit_card", "konbini"],
      return_url: "https://example.com",
    },
    misspell: ["email"],
  },
  {
    client: "WooCommerce, the session for inline fields (no return_url)",
    source: "degica/komoju-woocommerce includes/class-wc-gateway-komoju-single-slug.php create_session_for_fields",
    operation: "create",
    body: {
      amount: 1000,
      currency: "JPY",
      default_locale: "ja",
      metadata: { woocommerce_note: "This session is only for rendering inline fields, and will not be completed." },
    },
    misspell: ["default_locale"],
  },
  {
    client: "WooCommerce, an order's session, with the fraud_details its post() adds to every POST",
    source:
      "degica/komoju-woocommerce class-wc-gateway-komoju.php create_session_for_order, komoju-php KomojuApi.php post()",
    operation: "create",
    body: {
      amount: 4400,
      currency: "JPY",
      return_url: "https://shop.example.com/?wc-api=WC_Gateway_Komoju",
      default_locale: "ja",
      email: "taro@example.com",
      payment_data: {
        external_order_num: "WC-1042-7QX2KD",
        billing_address: {
          zipcode: "150-0002",
          street_address1: "1-2-3 Shibuya",
          street_address2: "",
          country: "JP",
          state: "JP13",
          city: "Shibuya-ku",
        },
        name: "山田 太郎",
        shipping_address: {
          zipcode: "150-0002",
          street_address1: "1-2-3 Shibuya",
          street_address2: "",
          country: "JP",
          state: "JP13",
          city: "Shibuya-ku",
        },
      },
      line_items: [{ description: "Matcha latte", quantity: 2, image: "https://shop.example.com/latte.png" }],
      metadata: { woocommerce_order_id: "1042" },
      payment_types: ["konbini"],
      // post() copies the payload's customer_email, which a session payload lacks.
      fraud_details: { ...fraudDetails, browser_language: "ja,en-US;q=0.9,en;q=0.8" },
    },
    misspell: ["fraud_details", "browser_language"],
  },
  {
    client: "WooCommerce, paying with a token, customer_email at the top level",
    source: "degica/komoju-woocommerce paySession",
    operation: "pay",
    body: {
      payment_details: token,
      customer_email: "taro@example.com",
      fraud_details: { ...fraudDetails, customer_email: "taro@example.com" },
    },
    misspell: ["customer_email"],
  },
  {
    client: "the mobile SDK, paying with a token",
    source: "degica/komoju-mobile-sdk remote/dtos/PayByTokenRequestDto.kt",
    operation: "pay",
    body: { amount: "1000", currency: "JPY", payment_details: token, tax: "0" },
    misspell: ["tax"],
  },
  {
    client: "the mobile SDK, konbini",
    source: "degica/komoju-mobile-sdk remote/dtos/PaymentRequestDto.kt",
    operation: "pay",
    body: { payment_details: { store: "lawson", type: "konbini", email: "taro@example.com" } },
    misspell: ["payment_details", "email"],
  },
  {
    client: "the mobile SDK, Paidy",
    source: "degica/komoju-mobile-sdk remote/dtos/PaymentRequestDto.kt",
    operation: "pay",
    body: { payment_details: { type: "paidy", customer_name: "山田 太郎", phone: "09012345678" } },
    misspell: ["payment_details"],
  },
  {
    client: "the mobile SDK, NET CASH",
    source: "degica/komoju-mobile-sdk remote/dtos/PaymentRequestDto.kt",
    operation: "pay",
    body: { payment_details: { type: "net_cash", prepaid_number: "1234567890123456" } },
    misspell: ["payment_details"],
  },
  {
    client: "hosted fields, a card typed as the customer sees it",
    source: "degica/komoju-fields src/fields/credit_card/module.ts paymentDetails",
    operation: "pay",
    body: {
      payment_details: {
        type: "credit_card",
        name: "TARO YAMADA",
        number: "4111 1111 1111 1111",
        month: "12",
        year: "29",
        verification_value: "123",
      },
    },
    misspell: ["payment_details", "verification_value"],
  },
  {
    client: "hosted fields, konbini with a name",
    source: "degica/komoju-fields src/fields/konbini/module.ts paymentDetails",
    operation: "pay",
    body: { payment_details: { type: "konbini", store: "family-mart", email: "taro@example.com", name: "山田 太郎" } },
    misspell: ["payment_details", "name"],
  },
  {
    client: "SDK 1.0.0, customer mode without amount or return_url",
    source: "komoju/komoju-node-sdk models/create-session-request-with-customer-mode.ts",
    operation: "create",
    body: { mode: "customer", currency: "JPY", external_customer_id: "user_1234", payment_types: ["credit_card"] },
    misspell: ["external_customer_id"],
  },
  {
    client: "SDK 1.0.0, payment mode with amount, currency, intent and platform_details in payment_data",
    source: "komoju/komoju-node-sdk models/payment-data-request.ts",
    operation: "create",
    body: {
      amount: 8888,
      currency: "JPY",
      payment_data: {
        amount: 8888,
        currency: "JPY",
        capture: "manual",
        intent: "one_time",
        platform_details: { submerchants: [] },
      },
    },
    misspell: ["payment_data", "intent"],
  },
  {
    client: "SDK 1.0.0, a card with its authorization hints and addresses",
    source: "komoju/komoju-node-sdk models/payment-details-credit-card.ts",
    operation: "pay",
    body: {
      capture: "manual",
      payment_details: {
        type: "credit_card",
        number: "4111111111111111",
        month: 12,
        year: 2030,
        email: "taro@example.com",
        expiry_days: 7,
        intent: "card_on_file",
        initiator: "customer",
        usage: "first",
        scheme_reference: "sub_42",
        installments: "3",
        billing_address_zip: "150-0002",
        billing_address_country: "JP",
      },
      fraud_details: { customer_ip: "2001:db8::7", customer_email: "taro@example.com" },
    },
    misspell: ["payment_details", "scheme_reference"],
  },
  {
    client: "SDK 1.0.0, bank transfer",
    source: "komoju/komoju-node-sdk models/payment-details-bank-transfer.ts",
    operation: "pay",
    body: {
      payment_details: {
        type: "bank_transfer",
        email: "taro@example.com",
        phone: "09012345678",
        name: "山田 太郎",
        given_name_kana: "タロウ",
        family_name_kana: "ヤマダ",
        expiry_days: 14,
      },
    },
    misspell: ["payment_details", "expiry_days"],
  },
  {
    client: "SDK 1.0.0, Pay-easy",
    source: "komoju/komoju-node-sdk models/payment-details-pay-easy.ts",
    operation: "pay",
    body: {
      payment_details: {
        type: "pay_easy",
        email: "taro@example.com",
        phone: "09012345678",
        given_name: "太郎",
        family_name: "山田",
        given_name_kana: "タロウ",
        family_name_kana: "ヤマダ",
        shipping_address_city: "渋谷区",
      },
    },
    misspell: ["payment_details", "shipping_address_city"],
  },
];

/** A copy of the body with the key at `path` misspelt (its last two letters swapped). */
function misspelt(body: Record<string, unknown>, path: string[]): Record<string, unknown> {
  const [key, ...rest] = path as [string, ...string[]];
  const copy = { ...body };
  if (rest.length > 0) {
    copy[key] = misspelt(copy[key] as Record<string, unknown>, rest);
    return copy;
  }
  const wrong = key.slice(0, -2) + key.slice(-1) + key.slice(-2, -1);
  expect(wrong).not.toBe(key);
  copy[wrong] = copy[key];
  delete copy[key];
  return copy;
}

const urlOf = (operation: Shape["operation"]) =>
  `${target.baseUrl}/api/v1/sessions${operation === "pay" ? `/${sessionId}/pay` : ""}`;
const authorization = `Basic ${Buffer.from(`${target.secretKey}:`).toString("base64")}`;

async function send(operation: Shape["operation"], body: string, contentType: string) {
  const response = await fetch(urlOf(operation), {
    method: "POST",
    headers: { "Content-Type": contentType, Authorization: authorization },
    body,
  });
  return {
    status: response.status,
    violations: violationsOf(response.headers),
    json: (await response.json()) as unknown,
  };
}

const responseSchema = { create: "Session", pay: "SessionPayResponse" } as const;

// Paying needs a real session and token, and a refused mutant would reach the real API
// through the proxy, so these replays run against the mock.
describe.runIf(isMock)("official clients' request shapes, JSON", () => {
  it.each(jsonShapes.map((shape) => [shape.client, shape] as const))(
    "%s: 200, no violations",
    async (_client, shape) => {
      const {
        status,
        violations: found,
        json,
      } = await send(shape.operation, JSON.stringify(shape.body), "application/json");
      expect(found).toEqual([]);
      expect(status).toBe(200);
      expect(violations(schemaValidator(responseSchema[shape.operation]), json)).toEqual([]);
      const validator = shape.operation === "create" ? "SessionCreateRequest" : "SessionPayRequest";
      expect(violations(schemaValidator(validator), shape.body)).toEqual([]);
    },
  );

  it.each(jsonShapes.map((shape) => [`${shape.client}, ${shape.misspell.join(".")} misspelt`, shape] as const))(
    "%s: 422",
    async (_name, shape) => {
      const { status, violations: found } = await send(
        shape.operation,
        JSON.stringify(misspelt(shape.body, shape.misspell)),
        "application/json",
      );
      expect(status).toBe(422);
      expect(found.map((v) => v.message).join("\n")).toMatch(
        /must NOT have additional properties|must match exactly one schema in oneOf/,
      );
    },
  );
});

// The seed's cURL sample is the one official client that sends a form. Prism reads only
// part of a form (it drops keys it does not declare), so the mutant is checked on the
// wire as Rack reads it (qs + Ajv), as the rest of the contract suite does.
describe.runIf(isMock)("official clients' request shapes, form", () => {
  const seedCurl =
    "default_locale=ja&email=test%40example.com&metadata[test]=value&amount=8888&currency=JPY&payment_data[external_order_num]=my_custom_order&payment_data[name]=John&payment_data[name_kana]=%E3%82%B8%E3%83%A7%E3%83%B3&payment_types[]=credit_card&payment_types[]=konbini&return_url=https%3A%2F%2Fexample.com";

  it("the seed's cURL Create: 200, no violations, and valid as Rack reads it", async () => {
    const { status, violations: found, json } = await send("create", seedCurl, "application/x-www-form-urlencoded");
    expect(found).toEqual([]);
    expect(status).toBe(200);
    expect(violations(schemaValidator("Session"), json)).toEqual([]);
    expect(formViolations(seedCurl, "SessionCreateRequest").violations).toEqual([]);
  });

  it("the seed's cURL Create with default_locale misspelt: refused as Rack reads it", () => {
    const mutant = seedCurl.replace("default_locale=", "default_loclae=");
    expect(formViolations(mutant, "SessionCreateRequest").violations.join("\n")).toMatch(
      /must NOT have additional properties/,
    );
  });

  it("the seed's cURL Create with a decimal amount: 422 from Prism", async () => {
    const { status } = await send(
      "create",
      seedCurl.replace("amount=8888", "amount=88.88"),
      "application/x-www-form-urlencoded",
    );
    expect(status).toBe(422);
  });
});
