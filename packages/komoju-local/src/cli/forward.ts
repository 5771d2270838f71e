// `komoju-local listen --forward-to <url>`: `stripe listen` for KOMOJU, which cannot call a
// machine behind NAT. Polls GET /api/v1/events of a KOMOJU (a test account, or a local
// KOMOJU) with komoju-ts and forwards each new event once, signed, to a local endpoint.
import { randomBytes } from "node:crypto";
import { createKomojuClient, type Event, KomojuApiError } from "komoju-ts";
import { deliverOnce } from "../webhooks.js";
import { type Io, painter, type Running, UsageError } from "./shared.js";

export const LISTEN_HELP = `Usage: komoju-local listen --forward-to <url> [--since <time>] [--interval <seconds>]

Polls the events of a KOMOJU account (GET /api/v1/events) and forwards each new one, once,
to your webhook endpoint, signed as KOMOJU signs webhooks: for a machine KOMOJU cannot reach.
One line per delivery with your endpoint's answer. Backs off while KOMOJU answers 429 or 5xx.

Options:
  --forward-to <url>     your webhook endpoint
  --since <time>         also forward the events since this ISO time (default: only new ones)
  --interval <seconds>   between polls (default 2)
  -h, --help             this help

Environment:
  KOMOJU_SECRET_KEY      the account's secret key (required)
  KOMOJU_BASE_URL        the KOMOJU to poll (default https://komoju.com)
  KOMOJU_WEBHOOK_SECRET  the secret to sign with (else one is made up and printed)`;

export interface ListenFlags {
  "forward-to"?: string | undefined;
  since?: string | undefined;
  interval?: string | undefined;
}

const MAX_BACKOFF_MS = 60_000;

interface Settings {
  to: string;
  since: number;
  intervalMs: number;
  secret: string;
  chosenSecret: boolean;
  baseUrl: string;
  secretKey: string;
}

function settingsFrom(flags: ListenFlags, io: Io): Settings {
  const to = flags["forward-to"];
  if (!to || !/^https?:\/\//.test(to)) throw new UsageError("--forward-to needs your webhook endpoint's http(s) URL.");
  const secretKey = io.env.KOMOJU_SECRET_KEY;
  if (!secretKey) throw new UsageError("Set KOMOJU_SECRET_KEY to the secret key of the KOMOJU account to listen to.");
  const since = flags.since === undefined ? Date.now() : Date.parse(flags.since);
  if (Number.isNaN(since))
    throw new UsageError(`--since must be an ISO time (2024-05-01T00:00:00Z), not "${flags.since}".`);
  const intervalMs = Number(flags.interval ?? "2") * 1000;
  if (!(intervalMs >= 50 && intervalMs <= 3_600_000))
    throw new UsageError(`--interval must be a number of seconds from 0.05 to 3600, not "${flags.interval}".`);
  const chosen = io.env.KOMOJU_WEBHOOK_SECRET || undefined;
  return {
    to,
    since,
    intervalMs,
    secret: chosen ?? `whsec_local_${randomBytes(12).toString("hex")}`,
    chosenSecret: chosen !== undefined,
    baseUrl: (io.env.KOMOJU_BASE_URL || "https://komoju.com").replace(/\/+$/, ""),
    secretKey,
  };
}

/** Whether a failed poll is worth waiting out (rate limited, KOMOJU's own trouble, the network) rather than the end. */
function transient(error: unknown): boolean {
  return error instanceof KomojuApiError ? error.status === 429 || error.status >= 500 : true;
}

export async function listen(flags: ListenFlags, io: Io): Promise<Running> {
  const settings = settingsFrom(flags, io);
  const komoju = createKomojuClient({ secretKey: settings.secretKey, baseUrl: settings.baseUrl, maxRetries: 0 });
  const paint = painter(io);
  io.out(`
  ${paint(1, "Polling")}         ${settings.baseUrl}/api/v1/events every ${settings.intervalMs / 1000} s
  ${paint(1, "Forwarding to")}   ${settings.to}
  ${paint(1, "Webhook secret")}  ${settings.chosenSecret ? "KOMOJU_WEBHOOK_SECRET" : `${settings.secret}  (made up: set KOMOJU_WEBHOOK_SECRET to keep one)`}
  ${paint(1, "Since")}           ${new Date(settings.since).toISOString()}

  Ctrl-C stops it.
`);
  // Events at or after the watermark are asked for again on each poll (times are to the
  // second); the ids already forwarded at the watermark's second are skipped.
  let watermark = settings.since;
  let forwarded = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => {};
  let failures = 0;

  async function poll(): Promise<void> {
    const fresh: Event[] = [];
    const start_time = new Date(Math.floor(watermark / 1000) * 1000).toISOString();
    for await (const event of komoju.events.list({ start_time, per_page: 100 })) {
      if (Date.parse(event.created_at) >= Math.floor(watermark / 1000) * 1000 && !forwarded.has(event.id))
        fresh.push(event);
    }
    // Listed newest first: forwarded oldest first, as they happened (times are to the second,
    // so the list's order, reversed, orders the events of one second).
    fresh.reverse().sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    for (const event of fresh) {
      if (stopped) return;
      const { status } = await deliverOnce(settings.to, event as unknown as { type: string }, settings.secret);
      io.out(`${event.type} ${event.id} → ${settings.to} ${status}`);
      const at = Date.parse(event.created_at);
      if (at > watermark) {
        watermark = at;
        forwarded = new Set();
      }
      forwarded.add(event.id);
    }
  }

  const done = (async () => {
    while (!stopped) {
      let waitMs = settings.intervalMs;
      try {
        await poll();
        failures = 0;
      } catch (error) {
        if (!transient(error)) {
          io.err(`KOMOJU refused the poll: ${(error as Error).message}`);
          return 1;
        }
        failures += 1;
        waitMs = Math.min(settings.intervalMs * 2 ** failures, MAX_BACKOFF_MS);
        const status =
          error instanceof KomojuApiError ? `answered ${error.status}` : `is unreachable (${(error as Error).message})`;
        io.err(`KOMOJU ${status}: next poll in ${(waitMs / 1000).toFixed(1)} s`);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, waitMs);
      });
    }
    return 0;
  })();

  return {
    done,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      wake();
      return 0;
    },
  };
}
