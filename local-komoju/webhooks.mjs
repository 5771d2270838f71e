// Delivers events to KOMOJU_WEBHOOK_URL as KOMOJU does: a JSON POST signed with
// X-Komoju-Signature = lowercase hex HMAC-SHA256 of the raw body, keyed with the
// webhook's secret; retried with backoff until a 2xx or the attempts run out.
import { createHmac, randomUUID } from "node:crypto";

export const USER_AGENT = "Komoju-Webhook";

export function signature(secret, body) {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Sends one event once; resolves with the status, or the error's code for a failed connection. */
export async function deliverOnce(url, event, secret, { id = randomUUID(), timeoutMs = 10_000 } = {}) {
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
    return { ok: false, status: error.cause?.code ?? error.name ?? "error" };
  }
}

/**
 * @param {{ urls: string[], secret: string, log: (line: string) => void, retryDelaysMs?: number[] }} options
 * retryDelaysMs: the waits before each retry (KOMOJU publishes no schedule; these double).
 */
export function createWebhookSender({ urls, secret, log, retryDelaysMs = [1_000, 2_000, 4_000, 8_000, 16_000] }) {
  const timers = new Set();
  let closed = false;
  // One X-Komoju-ID per delivery, kept across its retries.
  async function attempt(url, event, n, id = randomUUID()) {
    if (closed) return;
    const { ok, status } = await deliverOnce(url, event, secret, { id });
    const retryIn = ok ? undefined : retryDelaysMs[n - 1];
    log(
      `webhook ${event.type} → ${url} ${status}${n > 1 ? ` (attempt ${n})` : ""}${retryIn !== undefined ? `, retry in ${retryIn} ms` : ok ? "" : ", giving up"}`,
    );
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
