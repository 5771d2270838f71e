// The runtime smoke suite: plain JavaScript over the built package and a loopback
// fake KOMOJU (server.mjs), so it runs unchanged on Node, Bun, Deno and workerd.

const SECRET_KEY = "sk_test_runtime_smoke";
const WEBHOOK_SECRET = "whsec_runtime_smoke";

class Mismatch extends Error {}
const expect = (condition, detail) => {
  if (!condition) throw new Mismatch(detail);
};

const hex = (bytes) => Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

// A variable, so that no bundler or edge runtime tries to load a Node built-in.
const NODE_CRYPTO = "node:crypto";

/** HMAC-SHA256 of body with the runtime's own Web Crypto (node:crypto's on Node 18), as a second opinion. */
async function webCryptoSignature(body, secret) {
  const encoder = new TextEncoder();
  const crypto = globalThis.crypto ?? (await import(NODE_CRYPTO)).webcrypto;
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
}

/**
 * The client against the fake KOMOJU.
 * @param pkg the built package's module namespace
 * @param baseUrl the fake KOMOJU's origin
 * @param tag distinguishes this runtime's requests on the shared server
 */
export function clientChecks(pkg, baseUrl, tag) {
  const client = (options = {}) =>
    pkg.createKomojuClient({
      secretKey: SECRET_KEY,
      baseUrl,
      retryDelay: { baseDelayMs: 5, maxDelayMs: 20 },
      ...options,
    });
  return {
    async create() {
      const session = await client().sessions.create({
        amount: 8888,
        currency: "JPY",
        return_url: "https://example.com/return",
        metadata: { runtime: tag },
      });
      expect(session.amount === 8888 && session.currency === "JPY", `unexpected body ${JSON.stringify(session)}`);
      expect(session.metadata.auth === "ok", "the secret key was not sent as the Basic auth user");
      expect(
        /^[0-9a-f-]{36}$/.test(session.metadata.idempotency_key ?? ""),
        `no generated idempotency key: ${session.metadata.idempotency_key}`,
      );
    },
    async retrieve() {
      const session = await client().sessions.retrieve(`sess_${tag}`);
      expect(
        session.id === `sess_${tag}` && session.status === "pending",
        `unexpected body ${JSON.stringify(session)}`,
      );
    },
    async "retry after a 503"() {
      const session = await client({ maxRetries: 2 }).sessions.retrieve(`flaky_${tag}`);
      expect(session.metadata.attempts === "2", `answered after ${session.metadata.attempts} attempts, expected 2`);
    },
    async "not found is a KomojuNotFoundError"() {
      const error = await client()
        .sessions.retrieve(`missing_${tag}`)
        .then(
          () => undefined,
          (caught) => caught,
        );
      expect(error instanceof pkg.KomojuNotFoundError && error.status === 404, `got ${error}`);
      expect(!String(error.message).includes(SECRET_KEY), "the secret key appears in the error");
    },
    async "timeout is a KomojuTimeoutError"() {
      const started = Date.now();
      const error = await client({ timeoutMs: 300, maxRetries: 0 })
        .sessions.retrieve(`hang_${tag}`)
        .then(
          () => undefined,
          (caught) => caught,
        );
      expect(error instanceof pkg.KomojuTimeoutError, `got ${error}`);
      expect(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    },
  };
}

/** Webhook signing and verification; `name` says which crypto path the package takes. */
export function webhookCheck(pkg, tag, name) {
  return {
    async [name]() {
      const body = JSON.stringify({
        id: `ev_${tag}`,
        type: "payment.captured",
        resource: "event",
        data: { id: "pay_1", resource: "payment", status: "captured", amount: 8888, currency: "JPY" },
        created_at: new Date().toISOString(),
      });
      const signature = await pkg.signWebhookPayload(body, WEBHOOK_SECRET);
      expect(
        signature === (await webCryptoSignature(body, WEBHOOK_SECRET)),
        "the signature differs from the runtime's Web Crypto HMAC",
      );
      const event = await pkg.verifyWebhook({
        rawBody: new TextEncoder().encode(body),
        signature,
        secret: WEBHOOK_SECRET,
      });
      expect(
        event.id === `ev_${tag}` && event.type === "payment.captured",
        `unexpected event ${JSON.stringify(event)}`,
      );
      const forged = await pkg
        .verifyWebhook({
          rawBody: body,
          signature: signature.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
          secret: WEBHOOK_SECRET,
        })
        .then(
          () => undefined,
          (caught) => caught,
        );
      expect(forged instanceof pkg.KomojuSignatureError, `a forged signature gave ${forged}`);
    },
  };
}

/** Runs the checks one after another; one { name, ok, detail } each, never a throw. */
export async function run(checks) {
  const results = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check();
      results.push({ name, ok: true });
    } catch (error) {
      results.push({
        name,
        ok: false,
        detail: error instanceof Mismatch ? error.message : `${error?.name}: ${error?.message}`,
      });
    }
  }
  return results;
}
