// `npm run komoju -- trigger <event> --to <url> [--secret <secret>]`: sends one signed
// sample event, as KOMOJU would, to a webhook endpoint (like `stripe trigger`). The
// event is built from the spec's examples, with fresh ids and times and the payment in the state
// the event names. The secret comes from --secret or KOMOJU_WEBHOOK_SECRET.
// Run with tsx (`node --import tsx`).
import { newId, paymentTime } from "../packages/komoju-local/src/ids.js";
import { enumOf, template } from "../packages/komoju-local/src/spec.js";
import { deliverOnce } from "../packages/komoju-local/src/webhooks.js";

const USAGE = "Usage: npm run komoju -- trigger <event type> --to <url> [--secret <secret>]";
// The payment's status after each event (a partial refund leaves it captured).
const STATUS: Record<string, string> = {
  "payment.authorized": "authorized",
  "payment.captured": "captured",
  "payment.updated": "captured",
  "payment.expired": "expired",
  "payment.cancelled": "cancelled",
  "payment.refund.created": "captured",
  "payment.refunded": "refunded",
  "payment.failed": "failed",
};

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const [command, type] = process.argv.slice(2);
if (command !== "trigger" || !type || type.startsWith("--")) fail(USAGE);
const types = enumOf("PaymentEventType");
if (!types.includes(type)) fail(`Unknown event type ${type}. Known: ${types.join(", ")}.`);
const to = option("to");
if (!to || !/^https?:\/\//.test(to)) fail(`--to needs the webhook endpoint's http(s) URL.\n${USAGE}`);
const secret = option("secret") ?? process.env.KOMOJU_WEBHOOK_SECRET;
if (!secret) fail("Set KOMOJU_WEBHOOK_SECRET (or pass --secret) to the secret your endpoint verifies with.");

const now = Date.now();
const data = template("Payment");
const event = { ...template("PaymentEvent"), type, data };
const status = STATUS[type] ?? data.status;
Object.assign(event, { id: newId(), type, created_at: paymentTime(now) });
Object.assign(data, {
  id: newId(),
  status,
  created_at: paymentTime(now),
  captured_at: status === "captured" || status === "refunded" ? paymentTime(now) : null,
});

const { ok, status: answer } = await deliverOnce(to, event, secret);
console.log(`${type} → ${to} ${answer}`);
process.exit(ok ? 0 : 1);
