// startLocalKomoju(): the public front on the given port, Prism's validating proxy on a
// free loopback port, and the stateful simulator behind it, also on a free port, all
// three in the calling process.
import { createApiServer } from "./api.js";
import { createFront } from "./front.js";
import { close, listen } from "./listen.js";
import { type RunningPrism, startPrism } from "./prism.js";
import { HANDLERS } from "./simulation/index.js";
import { seedExamples } from "./simulation/sessions.js";
import { Store } from "./simulation/store.js";
import { createWebhookSender } from "./webhooks.js";

export { type MockOptions, type RunningMock, startMock } from "./mock.js";
export { type PrismLogEntry, type PrismOptions, type RunningPrism, startPrism } from "./prism.js";
export { DEFAULT_MAX_HELD_BYTES, DEFAULT_MAX_SESSIONS, type Store } from "./simulation/store.js";

export interface LocalKomojuOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  webhookUrls?: string[];
  webhookSecret?: string | undefined;
  /** One line per request and per webhook delivery. */
  log?: (line: string) => void;
  maxSessions?: number | undefined;
  /**
   * What the simulator holds at most, as the JSON size in bytes of its sessions, payments,
   * customers and events (default 64 MiB); past it the oldest are forgotten first.
   */
  maxHeldBytes?: number | undefined;
  retryDelaysMs?: number[] | undefined;
}

export interface RunningLocalKomoju {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  /** The simulator's state (packages/komoju-local/src/simulation/store.ts), for benchmarks that fill it directly. */
  komoju: Store;
  /** Closes the front, Prism's proxy and the simulator. */
  stop(): Promise<void>;
}

/** A listen failure (EADDRINUSE) rejects with Node's error, its `code` intact. */
export async function startLocalKomoju(options: LocalKomojuOptions = {}): Promise<RunningLocalKomoju> {
  const { port = 4010, host = "127.0.0.1", webhookUrls = [], webhookSecret, log = () => {}, maxSessions } = options;
  if (webhookUrls.length > 0 && !webhookSecret)
    throw new Error("KOMOJU_WEBHOOK_SECRET must be set when KOMOJU_WEBHOOK_URL is: every delivery is signed with it.");
  const webhooks = createWebhookSender({
    urls: webhookUrls,
    secret: webhookSecret ?? "",
    log,
    retryDelaysMs: options.retryDelaysMs,
  });
  let publicUrl = "";
  let prismReady: (url: string) => void = () => {};
  const prismUrl = new Promise<string>((resolve) => {
    prismReady = resolve;
  });
  const store = new Store({
    publicUrl: () => publicUrl,
    maxSessions,
    maxHeldBytes: options.maxHeldBytes,
    onEvent: (event) => webhooks.send(event),
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
  return {
    url: publicUrl,
    komoju: store,
    async stop() {
      webhooks.close();
      await Promise.all([close(front), close(api), prism.stop()]);
    },
  };
}
