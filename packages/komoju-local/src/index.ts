// komoju-local's testing API. startLocalKomoju(): the public front on the given port,
// Prism's validating proxy on a free loopback port, and the stateful simulator behind it,
// also on a free port, all three in the calling process; with the keys to call it, the
// secret its webhooks are signed with, what it delivered, and its local controls as methods.
import { randomBytes } from "node:crypto";
import type { Event, Payment } from "komoju-ts";
import { createApiServer } from "./api.js";
import { createFront } from "./front.js";
import { close, listen } from "./listen.js";
import { type RunningPrism, startPrism } from "./prism.js";
import { HANDLERS } from "./simulation/index.js";
import { transition } from "./simulation/payments.js";
import { seedExamples } from "./simulation/sessions.js";
import { Store } from "./simulation/store.js";
import { type WaitOptions, watched } from "./waiting.js";
import { createWebhookSender, type WebhookDelivery } from "./webhooks.js";

export { type MockOptions, type RunningMock, startMock } from "./mock.js";
export { type PrismLogEntry, type PrismOptions, type RunningPrism, startPrism } from "./prism.js";
export { type ProxyOptions, type RunningProxy, type SpecViolation, startProxy } from "./proxy.js";
export { DEFAULT_MAX_HELD_BYTES, DEFAULT_MAX_SESSIONS, type Store } from "./simulation/store.js";
export type { WaitOptions } from "./waiting.js";
export type { WebhookDelivery } from "./webhooks.js";

export interface LocalKomojuOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where each event is POSTed, signed, as KOMOJU delivers webhooks. */
  webhookUrls?: string[];
  /** The secret deliveries are signed with (`X-Komoju-Signature`); one is made up if absent and no URL is given. */
  webhookSecret?: string | undefined;
  /** One line per request and per webhook delivery. */
  log?: (line: string) => void;
  maxSessions?: number | undefined;
  /**
   * What the simulator holds at most, as the JSON size in bytes of its sessions, payments,
   * customers and events (default 64 MiB); past it the oldest are forgotten first.
   */
  maxHeldBytes?: number | undefined;
  /** The waits before each retry of a delivery that failed (default 1, 2, 4, 8, 16 s). */
  retryDelaysMs?: number[] | undefined;
}

export interface LocalKomoju {
  /** e.g. http://127.0.0.1:4010: the client's `baseUrl`. */
  baseUrl: string;
  /** A test secret key it accepts (any `sk_test_…` works; this one is made up per instance). */
  secretKey: string;
  /** A test publishable key it accepts, for the operations KOMOJU allows one for. */
  publishableKey: string;
  /** What each webhook delivery is signed with: give it to `verifyWebhook`. */
  webhookSecret: string;
  /** Every delivery attempt so far, oldest first (one per URL per attempt). */
  readonly deliveries: WebhookDelivery<Event>[];
  /** Every event so far, oldest first, whether or not a webhook URL was given. */
  readonly events: Event[];
  /**
   * The first delivery (made, or to come) that `matches` (any, without one): e.g.
   * `d => d.event.type === "payment.captured"`. Rejects after `timeoutMs` (10 s), listing what was delivered.
   */
  waitForDelivery(
    matches?: (delivery: WebhookDelivery<Event>) => boolean,
    options?: WaitOptions,
  ): Promise<WebhookDelivery<Event>>;
  /** The first event (recorded, or to come) that `matches`; needs no webhook URL. */
  waitForEvent(matches?: (event: Event) => boolean, options?: WaitOptions): Promise<Event>;
  /** The customer paid at the store (konbini) or the transfer arrived: an authorized payment becomes captured. */
  capturePayment(paymentId: string): Payment;
  /** The payment deadline passed unpaid: an authorized payment becomes expired. */
  expirePayment(paymentId: string): Payment;
  /** The payment failed (an authorized or pending one). */
  failPayment(paymentId: string): Payment;
  /** Moves the local KOMOJU's clock forward, e.g. past a session's `expires_in_seconds`. */
  advanceClock(ms: number): void;
  /** The local KOMOJU's clock, in ms since the epoch. */
  now(): number;
  /** The simulator's state, for benchmarks and tests that look behind the API. */
  store: Store;
  /** Closes the front, Prism's proxy and the simulator; pending waits reject. */
  stop(): Promise<void>;
}

/** @deprecated The old name of {@link LocalKomoju}. */
export type RunningLocalKomoju = LocalKomoju;

const made = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;

/** A listen failure (EADDRINUSE) rejects with Node's error, its `code` intact. */
export async function startLocalKomoju(options: LocalKomojuOptions = {}): Promise<LocalKomoju> {
  const { port = 0, host = "127.0.0.1", webhookUrls = [], log = () => {}, maxSessions } = options;
  if (webhookUrls.length > 0 && !options.webhookSecret)
    throw new Error("KOMOJU_WEBHOOK_SECRET must be set when KOMOJU_WEBHOOK_URL is: every delivery is signed with it.");
  const webhookSecret = options.webhookSecret || made("whsec_local_");
  const deliveries = watched<WebhookDelivery<Event>>((d) => `${d.event.type} → ${d.url} ${d.status}`);
  const events = watched<Event>((event) => event.type);
  const webhooks = createWebhookSender({
    urls: webhookUrls,
    secret: webhookSecret,
    log,
    retryDelaysMs: options.retryDelaysMs,
    onDelivery: (delivery) => deliveries.add(delivery as WebhookDelivery<Event>),
  });
  let publicUrl = "";
  let prismReady: (url: string) => void = () => {};
  const prismUrl = new Promise<string>((resolve) => {
    prismReady = resolve;
  });
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const store = new Store({
    publicUrl: () => publicUrl,
    maxSessions,
    maxHeldBytes: options.maxHeldBytes,
    now,
    onEvent: (event) => {
      events.add(event as unknown as Event);
      webhooks.send(event);
    },
  });
  const front = createFront({ prismUrl, store, handlers: HANDLERS, log });
  const api = createApiServer(store, HANDLERS);

  publicUrl = await listen(front, port, host);
  seedExamples(store);
  let prism: RunningPrism;
  try {
    const apiUrl = await listen(api, 0, "127.0.0.1");
    prism = await startPrism({ upstream: apiUrl });
  } catch (error) {
    webhooks.close();
    await Promise.all([close(front), api.listening ? close(api) : undefined]);
    throw error;
  }
  prismReady(prism.url);
  const act = (action: string) => (paymentId: string) =>
    store.transact((state) => transition(state, paymentId, action)) as unknown as Payment;
  return {
    baseUrl: publicUrl,
    secretKey: made("sk_test_local_"),
    publishableKey: made("pk_test_local_"),
    webhookSecret,
    deliveries: deliveries.items,
    events: events.items,
    waitForDelivery: (matches = () => true, wait) => deliveries.waitFor(matches, wait, "webhook delivery"),
    waitForEvent: (matches = () => true, wait) => events.waitFor(matches, wait, "event"),
    capturePayment: act("capture"),
    expirePayment: act("expire"),
    failPayment: act("fail"),
    advanceClock(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advanceClock takes a number of milliseconds ≥ 0.");
      clockOffset += ms;
    },
    now,
    store,
    async stop() {
      webhooks.close();
      const reason = "The local KOMOJU stopped.";
      deliveries.close(reason);
      events.close(reason);
      await Promise.all([close(front), close(api), prism.stop()]);
    },
  };
}
