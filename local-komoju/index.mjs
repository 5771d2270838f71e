// startLocalKomoju(): the public front on the given port, Prism's validating proxy on a
// free loopback port, and the stateful simulator behind it, also on a free port, all
// three in the calling process.
import { createApiServer } from "./api.mjs";
import { createFront } from "./front.mjs";
import { startPrism } from "./prism.mjs";
import { LocalKomoju } from "./state.mjs";
import { createWebhookSender } from "./webhooks.mjs";

export { DEFAULT_MAX_SESSIONS } from "./state.mjs";

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(`http://${host}:${server.address().port}`);
    });
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * @param {{ port?: number, host?: string, webhookUrls?: string[], webhookSecret?: string,
 *   log?: (line: string) => void, maxSessions?: number, retryDelaysMs?: number[] }} options
 * A listen failure (EADDRINUSE) rejects with Node's error, its `code` intact.
 */
export async function startLocalKomoju(options = {}) {
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
  let prismReady;
  const prismUrl = new Promise((resolve) => (prismReady = resolve));
  const komoju = new LocalKomoju({ publicUrl: () => publicUrl, maxSessions, onEvent: (event) => webhooks.send(event) });
  const front = createFront({ prismUrl, komoju, log });
  const api = createApiServer(komoju);

  publicUrl = await listen(front, port, host);
  komoju.seedExamples();
  let prism;
  try {
    const apiUrl = await listen(api, 0, "127.0.0.1");
    prism = await startPrism({ upstream: apiUrl });
  } catch (error) {
    await Promise.all([close(front), api.listening ? close(api) : undefined]);
    throw error;
  }
  prismReady(prism.url);
  return {
    url: publicUrl,
    komoju,
    async stop() {
      webhooks.close();
      await Promise.all([close(front), close(api), prism.stop()]);
    },
  };
}
