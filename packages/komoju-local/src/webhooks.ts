// Delivers events to KOMOJU_WEBHOOK_URL as KOMOJU does: a JSON POST signed with
// X-Komoju-Signature = lowercase hex HMAC-SHA256 of the raw body, keyed with the
// webhook's secret; retried with backoff until a 2xx or the attempts run out.
import { createHmac, randomUUID } from "node:crypto";

export const USER_AGENT = "Komoju-Webhook";

/** What is delivered: any event, of which only the type goes into a header. */
export interface WebhookEvent {
  type: string;
  [key: string]: unknown;
}

export function signature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Sends one event once; resolves with the status, or the error's code for a failed connection. */
export async function deliverOnce(
  url: string,
  event: WebhookEvent,
  secret: string,
  { id = randomUUID(), timeoutMs = 10_000 }: { id?: string; timeoutMs?: number } = {},
): Promise<{ ok: boolean; status: string }> {
  const body = JSON.stringify(event);
  try {
    const response = await fetch(url, {
      method: "POST",
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "x-komoju-id": id,
        "x-komoju-event": event.type,
        "x-komoju-signature": signature(secret, body),
      },
    });
    await response.arrayBuffer().catch(() => undefined);
    return { ok: response.ok, status: String(response.status) };
  } catch (error) {
    const failure = error as { cause?: { code?: string }; name?: string };
    return { ok: false, status: failure.cause?.code ?? failure.name ?? "error" };
  }
}

/** One attempt to deliver an event to one URL, as `onDelivery` and the testing API's `deliveries` report it. */
export interface WebhookDelivery<E extends WebhookEvent = WebhookEvent> {
  event: E;
  url: string;
  /** The answer's HTTP status (`"200"`), or the failed connection's error code (`"ECONNREFUSED"`). */
  status: string;
  /** Whether the endpoint answered 2xx. */
  ok: boolean;
  /** 1 for the first attempt; a retry keeps the delivery's `id`. */
  attempt: number;
  /** The X-Komoju-ID header, the same on each retry of one delivery. */
  id: string;
}

export interface WebhookSenderOptions {
  urls: string[];
  secret: string;
  log: (line: string) => void;
  /** Called after each attempt, with its outcome. */
  onDelivery?: ((delivery: WebhookDelivery) => void) | undefined;
  /** The waits before each retry (KOMOJU publishes no schedule; these double). */
  retryDelaysMs?: number[] | undefined;
}

export interface WebhookSender {
  send(event: WebhookEvent): void;
  close(): void;
}

export function createWebhookSender({
  urls,
  secret,
  log,
  retryDelaysMs = [1_000, 2_000, 4_000, 8_000, 16_000],
  onDelivery = () => {},
}: WebhookSenderOptions): WebhookSender {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  // One X-Komoju-ID per delivery, kept across its retries.
  async function attempt(url: string, event: WebhookEvent, n: number, id = randomUUID()): Promise<void> {
    if (closed) return;
    const { ok, status } = await deliverOnce(url, event, secret, { id });
    onDelivery({ event, url, status, ok, attempt: n, id });
    const retryIn = ok ? undefined : retryDelaysMs[n - 1];
    const next = retryIn !== undefined ? `, retry in ${retryIn} ms` : ok ? "" : ", giving up";
    log(`webhook ${event.type} → ${url} ${status}${n > 1 ? ` (attempt ${n})` : ""}${next}`);
    if (retryIn === undefined || closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      void attempt(url, event, n + 1, id);
    }, retryIn);
    timers.add(timer);
  }
  return {
    send(event) {
      for (const url of urls) void attempt(url, event, 1);
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
