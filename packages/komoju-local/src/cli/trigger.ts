// `komoju-local trigger <event> --to <url>`: one signed sample event, as KOMOJU would send
// it, to a webhook endpoint (like `stripe trigger`), for any event type the spec documents.
import { eventTypes, sampleEvent } from "../events.js";
import { deliverOnce } from "../webhooks.js";
import { type Io, UsageError } from "./shared.js";

export const TRIGGER_HELP = `Usage: komoju-local trigger <event type> --to <url> [--secret <secret>]

Sends one sample event, signed as KOMOJU signs webhooks (X-Komoju-Signature: the hex
HMAC-SHA256 of the body), to your endpoint; built from the spec's examples, with fresh ids
and times, and a payment in the state the event names. Exits 0 if the endpoint answered 2xx.

Options:
  --to <url>         the webhook endpoint
  --secret <secret>  the secret it verifies with (or KOMOJU_WEBHOOK_SECRET)
  --list             print the event types and exit
  -h, --help         this help

Event types: ${eventTypes().join(", ")}`;

export interface TriggerFlags {
  to?: string | undefined;
  secret?: string | undefined;
  list?: boolean | undefined;
}

export async function trigger(type: string | undefined, flags: TriggerFlags, io: Io): Promise<number> {
  if (flags.list) {
    for (const known of eventTypes()) io.out(known);
    return 0;
  }
  if (!type) throw new UsageError(`Name an event type.\n\n${TRIGGER_HELP}`);
  if (!eventTypes().includes(type))
    throw new UsageError(`Unknown event type ${type}. Known: ${eventTypes().join(", ")}.`);
  const to = flags.to;
  if (!to || !/^https?:\/\//.test(to)) throw new UsageError("--to needs the webhook endpoint's http(s) URL.");
  const secret = flags.secret ?? io.env.KOMOJU_WEBHOOK_SECRET;
  if (!secret)
    throw new UsageError("Set KOMOJU_WEBHOOK_SECRET (or pass --secret) to the secret your endpoint verifies with.");
  const { ok, status } = await deliverOnce(to, sampleEvent(type), secret);
  io.out(`${type} → ${to} ${status}`);
  return ok ? 0 : 1;
}
