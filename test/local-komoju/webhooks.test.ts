import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatorAt } from "../support/spec.js";
import { call, type LocalKomoju, startLocalKomoju } from "./support.js";

const SECRET = "whsec_local_test";
const CLI = fileURLToPath(new URL("../../scripts/komoju-cli.ts", import.meta.url));
/** How `npm run komoju` runs the CLI. */
const RUN_CLI = ["--import", "tsx", CLI];

interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  event: { id: string; type: string; data: { id: string; status: string; session?: string } };
}

/** A webhook receiver that records every delivery; /flaky fails the first two tries of each event. */
const deliveries: Delivery[] = [];
const tries = new Map<string, number>();
let receiver: Server;
let receiverUrl = "";
let komoju: LocalKomoju;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const event = JSON.parse(raw);
      deliveries.push({ path: req.url!, headers: req.headers, raw, event });
      const key = `${req.url} ${event.id}`;
      tries.set(key, (tries.get(key) ?? 0) + 1);
      res.writeHead(req.url === "/flaky" && tries.get(key)! <= 2 ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  komoju = await startLocalKomoju({
    webhookUrls: [`${receiverUrl}/hooks`, `${receiverUrl}/flaky`],
    webhookSecret: SECRET,
    retryDelaysMs: [50, 100, 200],
  });
}, 60_000);

afterAll(async () => {
  await komoju?.stop();
  receiver?.close();
});

const validEvent = validatorAt("#/components/schemas/Event");

async function deliveredTo(path: string, type: string, paymentId: string) {
  await expect
    .poll(() => deliveries.find((d) => d.path === path && d.event.type === type && d.event.data.id === paymentId), {
      timeout: 10_000,
    })
    .toBeDefined();
  return deliveries.find((d) => d.path === path && d.event.type === type && d.event.data.id === paymentId)!;
}

async function konbiniPayment() {
  const { body: session } = await call(komoju.url, "POST", "/api/v1/sessions", {
    amount: 3000,
    currency: "JPY",
    return_url: "https://e.example/r",
    payment_types: ["konbini"],
  });
  const paid = await call(komoju.url, "POST", `/api/v1/sessions/${session.id}/pay`, {
    payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
  });
  return { session, payment: paid.body.payment };
}

describe("webhooks", { timeout: 30_000 }, () => {
  it("refuses webhook URLs without a secret to sign with (moved from the control server's test)", async () => {
    await expect(startLocalKomoju({ webhookUrls: ["http://127.0.0.1:9/hooks"] })).rejects.toThrow(
      /KOMOJU_WEBHOOK_SECRET must be set/,
    );
  });

  it("every state change is POSTed to each KOMOJU_WEBHOOK_URL, signed as KOMOJU signs", async () => {
    const { session, payment } = await konbiniPayment();
    const delivery = await deliveredTo("/hooks", "payment.authorized", payment.id);
    expect(delivery.headers["x-komoju-signature"]).toBe(
      createHmac("sha256", SECRET).update(delivery.raw).digest("hex"),
    );
    expect(delivery.headers["x-komoju-event"]).toBe("payment.authorized");
    expect(delivery.headers["x-komoju-id"]).toMatch(/\S{8,}/);
    expect(delivery.headers["user-agent"]).toBe("Komoju-Webhook");
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(validEvent(delivery.event), JSON.stringify(validEvent.errors)).toBe(true);
    expect(delivery.event.data).toMatchObject({ id: payment.id, status: "authorized", session: session.id });
  });

  it("a non-2xx answer is retried with backoff, keeping the delivery's X-Komoju-ID; one log line per attempt", async () => {
    const { payment } = await konbiniPayment();
    await expect
      .poll(() => tries.get(`/flaky ${deliveries.find((d) => d.event.data.id === payment.id)?.event.id}`), {
        timeout: 10_000,
      })
      .toBe(3);
    const attempts = deliveries.filter((d) => d.path === "/flaky" && d.event.data.id === payment.id);
    expect(new Set(attempts.map((d) => d.headers["x-komoju-id"])).size).toBe(1);
    const output = await komoju.output();
    expect(output).toMatch(/^webhook payment\.authorized → http:\/\/127\.0\.0\.1:\d+\/flaky 503, retry in 50 ms$/m);
    expect(output).toMatch(/^webhook payment\.authorized → http:\/\/127\.0\.0\.1:\d+\/flaky 200 \(attempt 3\)$/m);
  });

  it("/_local/ moves a konbini payment on: paid at the store (captured), expired, or failed, each with its event", async () => {
    const { session, payment } = await konbiniPayment();
    const captured = await call(komoju.url, "POST", `/_local/payments/${payment.id}/capture`);
    expect(captured.body).toMatchObject({ id: payment.id, status: "captured" });
    expect((await deliveredTo("/hooks", "payment.captured", payment.id)).event.data.status).toBe("captured");
    expect((await call(komoju.url, "GET", `/api/v1/sessions/${session.id}`)).body.payment.status).toBe("captured");
    const again = await call(komoju.url, "POST", `/_local/payments/${payment.id}/expire`);
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe("not_expirable");

    const expiring = (await konbiniPayment()).payment;
    expect((await call(komoju.url, "POST", `/_local/payments/${expiring.id}/expire`)).body.status).toBe("expired");
    await deliveredTo("/hooks", "payment.expired", expiring.id);
    const failing = (await konbiniPayment()).payment;
    expect((await call(komoju.url, "POST", `/_local/payments/${failing.id}/fail`)).body.status).toBe("failed");
    await deliveredTo("/hooks", "payment.failed", failing.id);

    const events = await call(komoju.url, "GET", "/_local/events");
    expect(
      events.body.data.filter((e: Delivery["event"]) => e.data.id === payment.id).map((e: Delivery["event"]) => e.type),
    ).toEqual(["payment.authorized", "payment.captured"]);
  });

  it("npm run komoju -- trigger sends one signed sample event", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...RUN_CLI, "trigger", "payment.refunded", "--to", `${receiverUrl}/cli`],
      { env: { ...process.env, KOMOJU_WEBHOOK_SECRET: SECRET } },
    );
    expect(stdout.trim()).toBe(`payment.refunded → ${receiverUrl}/cli 200`);
    const delivery = deliveries.find((d) => d.path === "/cli")!;
    expect(delivery.headers["x-komoju-signature"]).toBe(
      createHmac("sha256", SECRET).update(delivery.raw).digest("hex"),
    );
    expect(delivery.event).toMatchObject({ type: "payment.refunded", data: { status: "refunded" } });
    expect(validEvent(delivery.event), JSON.stringify(validEvent.errors)).toBe(true);
  });

  it("the CLI refuses an unknown event type or a missing secret in one line", async () => {
    const run = (args: string[], env: Record<string, string | undefined>) =>
      promisify(execFile)(process.execPath, [...RUN_CLI, ...args], {
        env: { ...process.env, KOMOJU_WEBHOOK_SECRET: undefined, ...env },
      }).catch((error: { code: number; stderr: string }) => error);
    const unknown = (await run(["trigger", "payment.exploded", "--to", `${receiverUrl}/cli`], {
      KOMOJU_WEBHOOK_SECRET: SECRET,
    })) as { code: number; stderr: string };
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Unknown event type payment\.exploded\. Known: payment\.authorized, /);
    const secretless = (await run(["trigger", "payment.captured", "--to", `${receiverUrl}/cli`], {})) as {
      code: number;
      stderr: string;
    };
    expect(secretless.code).toBe(1);
    expect(secretless.stderr.trim().split("\n")).toHaveLength(1);
    expect(secretless.stderr).toContain("KOMOJU_WEBHOOK_SECRET");
  });
});
