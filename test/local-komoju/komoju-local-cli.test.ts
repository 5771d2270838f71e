// komoju-local's commands and testing API, run in this process from the source (the
// packed package is run as users run it in test/komoju-local-package.test.ts): trigger
// for every event type, listen against a local KOMOJU, proxy against a drifting upstream,
// and the testing API driving a checkout to payment.captured.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createKomojuClient, type Event, verifyWebhook } from "komoju-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDriftingUpstream } from "../../contract-tests/support/drifting-upstream.js";
import { run } from "../../packages/komoju-local/src/cli/main.js";
import type { Io, Running } from "../../packages/komoju-local/src/cli/shared.js";
import { eventTypes } from "../../packages/komoju-local/src/events.js";
import { type LocalKomoju, startLocalKomoju } from "../../packages/komoju-local/src/index.js";
import { schemaValidator, violations } from "../support/spec.js";

/** A command's output, line by line, with the environment it sees. */
function captured(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const io: Io = { out: (line) => lines.push(line), err: (line) => lines.push(line), env, tty: false };
  return { io, text: () => lines.join("\n") };
}

interface Received {
  raw: string;
  headers: IncomingMessage["headers"];
}

/** A webhook endpoint on loopback that keeps what it receives and answers `status`. */
async function receiver(status = 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ raw: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const verify = (delivery: Received, secret: string) =>
  verifyWebhook({ rawBody: delivery.raw, signature: delivery.headers["x-komoju-signature"] as string, secret });

const started = (outcome: Awaited<ReturnType<typeof run>>): Running => {
  if (!("running" in outcome)) throw new Error(`the command ended with ${outcome.code}`);
  return outcome.running;
};

describe("komoju-local trigger", { timeout: 30_000 }, () => {
  it("sends every event type the spec documents, signed, each a valid event of its type", async () => {
    const types = eventTypes();
    // Beyond the payment events: customers, ping, subscriptions, settlements, Platform Model…
    expect(types).toEqual(expect.arrayContaining(["payment.captured", "customer.created", "ping", "payout.created"]));
    expect(types.length).toBeGreaterThan(30);
    const hook = await receiver();
    const validEvent = schemaValidator("Event");
    try {
      for (const type of types) {
        const { io, text } = captured({ KOMOJU_WEBHOOK_SECRET: "whsec_trigger" });
        expect(await run(["trigger", type, "--to", hook.url], io)).toEqual({ code: 0 });
        expect(text()).toBe(`${type} → ${hook.url} 200`);
        const event = await verify(hook.received.at(-1)!, "whsec_trigger");
        expect(event.type).toBe(type);
        expect(hook.received.at(-1)!.headers["x-komoju-event"]).toBe(type);
        expect(violations(validEvent, event), type).toEqual([]);
      }
      expect(hook.received).toHaveLength(types.length);
      const captured_ = JSON.parse(hook.received[types.indexOf("payment.refunded")]!.raw) as Event;
      expect(captured_.data).toMatchObject({ resource: "payment", status: "refunded" });
    } finally {
      await hook.close();
    }
  });

  it("refuses an unknown type, a missing --to or secret, and exits 1 when the endpoint refuses", async () => {
    const hook = await receiver(500);
    try {
      const unknown = captured({ KOMOJU_WEBHOOK_SECRET: "s" });
      expect(await run(["trigger", "payment.teleported", "--to", hook.url], unknown.io)).toEqual({ code: 1 });
      expect(unknown.text()).toMatch(/^Unknown event type payment\.teleported\. Known: payment\.authorized, /);
      const noSecret = captured();
      expect(await run(["trigger", "ping", "--to", hook.url], noSecret.io)).toEqual({ code: 1 });
      expect(noSecret.text()).toContain("KOMOJU_WEBHOOK_SECRET");
      expect(await run(["trigger", "ping"], captured({ KOMOJU_WEBHOOK_SECRET: "s" }).io)).toEqual({ code: 1 });
      const refused = captured();
      expect(await run(["trigger", "ping", "--to", hook.url, "--secret", "s"], refused.io)).toEqual({ code: 1 });
      expect(refused.text()).toBe(`ping → ${hook.url} 500`);
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it("--help on each command, and an unknown option is one usage error", async () => {
    for (const command of ["start", "mock", "trigger", "listen", "proxy"]) {
      const { io, text } = captured();
      expect(await run([command, "--help"], io)).toEqual({ code: 0 });
      expect(text()).toMatch(new RegExp(`^Usage: komoju-local ${command === "start" ? "\\[start\\]" : command}`));
    }
    const { io, text } = captured();
    expect(await run(["proxy", "--upstream", "http://127.0.0.1:9", "--bogus"], io)).toEqual({ code: 1 });
    expect(text()).toMatch(/^Unknown option '--bogus'/);
  });
});

describe("komoju-local listen and the testing API", { timeout: 60_000 }, () => {
  let local: LocalKomoju;
  beforeAll(async () => {
    local = await startLocalKomoju({ port: 0 });
  });
  afterAll(() => local.stop());

  it("forwards each new event of the KOMOJU it polls once, signed with the secret it printed", async () => {
    const hook = await receiver();
    const { io, text } = captured({ KOMOJU_SECRET_KEY: local.secretKey, KOMOJU_BASE_URL: local.baseUrl });
    const running = started(await run(["listen", "--forward-to", hook.url, "--interval", "0.1"], io));
    try {
      const secret = /Webhook secret\s+(whsec_local_\w+)/.exec(text())?.[1];
      expect(secret).toBeDefined();
      // Events from before it started (the seeded examples) are not forwarded.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(hook.received).toEqual([]);
      const komoju = createKomojuClient({ secretKey: local.secretKey, baseUrl: local.baseUrl });
      const payment = await komoju.payments.create({
        amount: 1200,
        currency: "JPY",
        payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
      });
      local.capturePayment(payment.id);
      await expect.poll(() => hook.received.length, { timeout: 10_000 }).toBe(2);
      // A few more polls: nothing is forwarded twice.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const events = await Promise.all(hook.received.map((delivery) => verify(delivery, secret!)));
      expect(events.map((event) => event.type)).toEqual(["payment.authorized", "payment.captured"]);
      expect(events.map((event) => (event.data as { id: string }).id)).toEqual([payment.id, payment.id]);
      expect(text()).toMatch(new RegExp(`^payment\\.captured \\w+ → ${hook.url} 200$`, "m"));
    } finally {
      await running.stop();
      await hook.close();
    }
  });

  it("backs off while KOMOJU answers 429 or 5xx, and ends on a refused key", async () => {
    let calls = 0;
    const upstream = createServer((_req, res) => {
      calls += 1;
      const status = calls === 1 ? 429 : calls === 2 ? 503 : 401;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "x", message: `answer ${status}`, param: null } }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const { io, text } = captured({ KOMOJU_SECRET_KEY: "sk_test_x", KOMOJU_BASE_URL: baseUrl });
    const running = started(await run(["listen", "--forward-to", "http://127.0.0.1:9/", "--interval", "0.05"], io));
    try {
      expect(await running.done).toBe(1);
      expect(text()).toMatch(/^KOMOJU answered 429: next poll in 0\.1 s$/m);
      expect(text()).toMatch(/^KOMOJU answered 503: next poll in 0\.2 s$/m);
      expect(text()).toMatch(/^KOMOJU refused the poll: /m);
      expect(calls).toBe(3);
    } finally {
      await running.stop();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it("drives a checkout to payment.captured: keys, deliveries, waits and the local controls", async () => {
    const hook = await receiver();
    const shop = await startLocalKomoju({ port: 0, webhookUrls: [hook.url], webhookSecret: "whsec_shop" });
    try {
      expect(shop.secretKey).toMatch(/^sk_test_/);
      expect(shop.publishableKey).toMatch(/^pk_test_/);
      const komoju = createKomojuClient({ secretKey: shop.secretKey, baseUrl: shop.baseUrl });
      const session = await komoju.sessions.create({
        amount: 5000,
        currency: "JPY",
        return_url: "http://127.0.0.1:3000/return",
      });
      const paid = await komoju.sessions.pay(session.id, {
        payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
      });
      const paymentId = (paid as { payment?: { id: string } }).payment!.id;
      const authorized = await shop.waitForDelivery((d) => d.event.type === "payment.authorized");
      expect(authorized).toMatchObject({ url: hook.url, ok: true, status: "200", attempt: 1 });
      expect(shop.capturePayment(paymentId).status).toBe("captured");
      const captured_ = await shop.waitForDelivery((d) => d.event.type === "payment.captured");
      expect((captured_.event.data as { id: string }).id).toBe(paymentId);
      // What the endpoint received is what the delivery reports, signed with the secret.
      const event = await verify(hook.received.find((r) => r.headers["x-komoju-id"] === captured_.id)!, "whsec_shop");
      expect(event.id).toBe(captured_.event.id);
      expect(shop.deliveries.map((d) => d.event.type)).toEqual(["payment.authorized", "payment.captured"]);
      expect(shop.events.map((e) => e.type)).toEqual(["payment.authorized", "payment.captured"]);
      // A wait that is never met says what did arrive.
      await expect(shop.waitForEvent((e) => e.type === "payment.refunded", { timeoutMs: 50 })).rejects.toThrow(
        /No matching event within 50 ms; so far: payment\.authorized, payment\.captured\./,
      );
      expect(() => shop.expirePayment(paymentId)).toThrow(/captured/);
    } finally {
      await shop.stop();
      await hook.close();
    }
  });

  it("advanceClock moves the local KOMOJU's time: a session past its expiry cannot be paid", async () => {
    const komoju = createKomojuClient({ secretKey: local.secretKey, baseUrl: local.baseUrl, maxRetries: 0 });
    const session = await komoju.sessions.create({
      amount: 100,
      currency: "JPY",
      return_url: "http://127.0.0.1:3000/return",
      expires_in_seconds: 60,
    });
    const before = local.now();
    local.advanceClock(61_000);
    expect(local.now() - before).toBeGreaterThanOrEqual(61_000);
    expect((await komoju.sessions.retrieve(session.id)).expired).toBe(true);
    const card = { type: "konbini", store: "lawson", email: "t@example.com" } as const;
    await expect(komoju.sessions.pay(session.id, { payment_details: card })).rejects.toMatchObject({ status: 422 });
    expect(() => local.advanceClock(-1)).toThrow(RangeError);
  });
});

describe("komoju-local proxy", { timeout: 60_000 }, () => {
  it("reports each violation of a drifting upstream as a line, sums up on stop, and --fail-on-drift exits 1", async () => {
    const drifting = await startDriftingUpstream();
    const { io, text } = captured();
    const running = started(await run(["proxy", "--upstream", drifting.url, "--port", "0", "--fail-on-drift"], io));
    try {
      const url = /Validating proxy\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(text())![1]!;
      const auth = { authorization: `Basic ${btoa("sk_test_proxy:")}` };
      expect((await fetch(`${url}/api/v1/sessions/conforming1`, { headers: auth })).status).toBe(200);
      expect(text()).not.toContain("violation:");
      expect((await fetch(`${url}/api/v1/sessions/wrongconst`, { headers: auth })).status).toBe(500);
      expect(text()).toMatch(
        /^violation: GET \/api\/v1\/sessions\/wrongconst 500 response\.body\.resource: .*must be equal to constant$/m,
      );
      expect(await running.stop()).toBe(1);
      expect(text()).toMatch(/^proxy summary: 1 violation in 1 exchange\.$/m);
    } finally {
      await drifting.close();
    }
  });

  it("without drift (or without --fail-on-drift) it exits 0", async () => {
    const drifting = await startDriftingUpstream();
    try {
      const clean = captured();
      const running = started(
        await run(["proxy", "--upstream", drifting.url, "--port", "0", "--fail-on-drift"], clean.io),
      );
      const url = /Validating proxy\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(clean.text())![1]!;
      await fetch(`${url}/api/v1/sessions/fine`, { headers: { authorization: `Basic ${btoa("sk_test_p:")}` } });
      expect(await running.stop()).toBe(0);
      expect(clean.text()).toMatch(/^proxy summary: no violations\.$/m);
    } finally {
      await drifting.close();
    }
  });
});
