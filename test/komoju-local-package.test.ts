// komoju-local as users get it: both packages packed (`npm pack`, komoju-local built by its
// prepack), installed into a fresh project outside the repository, and run there with
// `npx komoju-local …`: start, mock, trigger, listen, proxy, and the testing API imported
// by a node:test file that drives a checkout. Network: 127.0.0.1, and the npm registry
// (or npm's cache, which `npm ci` filled) for the packages' own dependencies.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { verifyWebhook } from "komoju-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDriftingUpstream } from "../contract-tests/support/drifting-upstream.js";
import { npmEnv } from "./install/npm-env.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), "komoju-local-install-"));
const project = join(work, "shop");
const SEED = "1kv31jmdp5zweqlr2l2odr8wv";

/**
 * `npx komoju-local …` in the project (or, with `direct`, the bin npm linked, without npx), in
 * a process group of its own: a stop is Ctrl-C's SIGINT to the whole group, as a terminal
 * sends it (npx passes no signal on by itself).
 */
function npx(args: string[], env: Record<string, string> = {}, direct = false) {
  const [command, ...prefix] = direct ? [join(project, "node_modules/.bin/komoju-local")] : ["npx", "komoju-local"];
  const child = spawn(command!, [...prefix, ...args], {
    cwd: project,
    env: { ...npmEnv(), NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const found = pattern.exec(output);
        if (found) {
          clearInterval(timer);
          resolve(found);
        }
      };
      const timer = setInterval(check, 50);
      setTimeout(() => {
        clearInterval(timer);
        reject(new Error(`No ${pattern} within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      exited.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}:\n${output}`)), 100));
    });
  const stop = async () => {
    if (child.exitCode === null) process.kill(-child.pid!, "SIGINT");
    return exited;
  };
  return { child, output: () => output, waitFor, exited, stop };
}

const started: ChildProcess[] = [];

async function receiver() {
  const received: { raw: string; headers: IncomingMessage["headers"] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ raw: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const verify = (delivery: { raw: string; headers: IncomingMessage["headers"] }, secret: string) =>
  verifyWebhook({ rawBody: delivery.raw, signature: String(delivery.headers["x-komoju-signature"]), secret });

beforeAll(async () => {
  // The client's dist/ is built (test:integration builds first); komoju-local's prepack builds it.
  await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: root });
  await run("npm", ["pack", "--workspace", "komoju-local", "--pack-destination", work], { cwd: root });
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "shop", private: true, type: "module" }));
  await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--no-package-lock",
      "--no-update-notifier",
      join(work, "komoju-ts-0.1.0.tgz"),
      join(work, "komoju-local-0.1.0.tgz"),
    ],
    { cwd: project, env: npmEnv() },
  );
}, 240_000);

afterAll(() => {
  for (const child of started) {
    try {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }
  rmSync(work, { recursive: true, force: true });
});

describe("komoju-local packed and installed", { timeout: 90_000 }, () => {
  it("npx komoju-local: answers with the key it prints, prints the snippet and serves the docs", async () => {
    const server = npx(["--port", "0", "--docs-port", "0"]);
    started.push(server.child);
    const [, baseUrl] = await server.waitFor(/Local KOMOJU\s+(http:\/\/127\.0\.0\.1:\d+)/);
    await server.waitFor(/Ctrl-C stops everything/);
    const key = /Secret key\s+(sk_test_\w+)/.exec(server.output())![1]!;
    expect(server.output()).toContain(`createKomojuClient({ secretKey: "${key}", baseUrl: "${baseUrl}" })`);
    expect(server.output()).toMatch(/Webhook secret\s+whsec_local_\w+/);
    const session = await fetch(`${baseUrl}/api/v1/sessions/${SEED}`, {
      headers: { authorization: `Basic ${btoa(`${key}:`)}` },
    });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { id: string }).id).toBe(SEED);
    const docs = /API docs\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(server.output())![1]!;
    expect(await (await fetch(docs)).text()).toContain("KOMOJU API");
    await server.stop();
    await expect
      .poll(() =>
        fetch(`${baseUrl}/api/v1/sessions/${SEED}`).then(
          () => "up",
          () => "gone",
        ),
      )
      .toBe("gone");
  });

  it("npx komoju-local mock: the spec's examples, and errors on request", async () => {
    const mock = npx(["mock", "--port", "0"]);
    started.push(mock.child);
    const [, url] = await mock.waitFor(/KOMOJU mock\s+(http:\/\/127\.0\.0\.1:\d+)/);
    const auth = { authorization: `Basic ${btoa("sk_test_1:")}` };
    expect((await fetch(`${url}/api/v1/sessions/${SEED}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${url}/api/v1/sessions/x`, { headers: { ...auth, prefer: "code=404" } })).status).toBe(404);
    await mock.stop();
    await expect
      .poll(() =>
        fetch(`${url}/api/v1/sessions/x`).then(
          () => "up",
          () => "gone",
        ),
      )
      .toBe("gone");
  });

  it("npx komoju-local trigger: one event, signed so that komoju-ts's verifyWebhook accepts it", async () => {
    const hook = await receiver();
    try {
      const trigger = npx(["trigger", "customer.created", "--to", hook.url], { KOMOJU_WEBHOOK_SECRET: "whsec_pkg" });
      expect(await trigger.exited).toBe(0);
      expect(trigger.output().trim()).toBe(`customer.created → ${hook.url} 200`);
      expect(hook.received).toHaveLength(1);
      const event = await verify(hook.received[0]!, "whsec_pkg");
      expect(event).toMatchObject({ type: "customer.created", data: { resource: "customer" } });
      await expect(verify(hook.received[0]!, "whsec_other")).rejects.toThrow();
    } finally {
      await hook.close();
    }
  });

  it("npx komoju-local listen: a payment made at the KOMOJU it polls is forwarded once, signed", async () => {
    const hook = await receiver();
    const local = npx(["--port", "0", "--no-docs"]);
    started.push(local.child);
    try {
      const [, baseUrl] = await local.waitFor(/Local KOMOJU\s+(http:\/\/127\.0\.0\.1:\d+)/);
      const key = (await local.waitFor(/Secret key\s+(sk_test_\w+)/))[1]!;
      const listen = npx(["listen", "--forward-to", hook.url, "--interval", "0.2"], {
        KOMOJU_BASE_URL: baseUrl!,
        KOMOJU_SECRET_KEY: key,
        KOMOJU_WEBHOOK_SECRET: "whsec_listen",
      });
      started.push(listen.child);
      await listen.waitFor(/Ctrl-C stops it/);
      const created = await fetch(`${baseUrl}/api/v1/payments`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${key}:`)}`, "content-type": "application/json" },
        body: JSON.stringify({
          amount: 900,
          currency: "JPY",
          payment_details: { type: "konbini", store: "lawson", email: "t@example.com" },
        }),
      });
      const payment = (await created.json()) as { id: string };
      await listen.waitFor(/^payment\.authorized \w+ → .* 200$/m);
      // More polls: still one delivery.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(hook.received).toHaveLength(1);
      const event = await verify(hook.received[0]!, "whsec_listen");
      expect(event).toMatchObject({ type: "payment.authorized", data: { id: payment.id } });
      await listen.stop();
    } finally {
      await local.stop();
      await hook.close();
    }
  });

  // The installed bin itself, so that the exit code is komoju-local's rather than npx's.
  it("komoju-local proxy --fail-on-drift: a drifting upstream is reported and the exit code is 1", async () => {
    const drifting = await startDriftingUpstream();
    try {
      const proxy = npx(["proxy", "--upstream", drifting.url, "--port", "0", "--fail-on-drift"], {}, true);
      started.push(proxy.child);
      const [, url] = await proxy.waitFor(/Validating proxy\s+(http:\/\/127\.0\.0\.1:\d+)/);
      const auth = { authorization: `Basic ${btoa("sk_test_drift:")}` };
      expect((await fetch(`${url}/api/v1/sessions/conforming1`, { headers: auth })).status).toBe(200);
      expect((await fetch(`${url}/api/v1/sessions/unknownstatus`, { headers: auth })).status).toBe(500);
      await proxy.waitFor(/^violation: GET \/api\/v1\/sessions\/unknownstatus 500 response\.body\.status: /m);
      expect(await proxy.stop()).toBe(1);
      expect(proxy.output()).toMatch(/^proxy summary: 1 violation in 1 exchange\.$/m);
    } finally {
      await drifting.close();
    }
  });

  it("the testing API, imported by a node:test file (and required from CommonJS), drives a checkout", async () => {
    writeFileSync(
      join(project, "checkout.test.mjs"),
      `import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createKomojuClient, verifyWebhook } from "komoju-ts";
import { startLocalKomoju } from "komoju-local";

test("a konbini checkout ends in payment.captured", async () => {
  const received = [];
  const hooks = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c)).on("end", () => {
      received.push({ raw: Buffer.concat(chunks).toString(), signature: req.headers["x-komoju-signature"] });
      res.end();
    });
  });
  await new Promise((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  const webhookUrls = ["http://127.0.0.1:" + hooks.address().port + "/webhooks"];
  const local = await startLocalKomoju({ port: 0, webhookUrls, webhookSecret: "whsec_shop" });
  try {
    const komoju = createKomojuClient({ secretKey: local.secretKey, baseUrl: local.baseUrl });
    const session = await komoju.sessions.create({ amount: 3000, currency: "JPY", return_url: "http://127.0.0.1:3000/done" });
    const { payment } = await komoju.sessions.pay(session.id, {
      payment_details: { type: "konbini", store: "lawson", email: "shopper@example.com" },
    });
    local.capturePayment(payment.id);
    const delivery = await local.waitForDelivery((d) => d.event.type === "payment.captured");
    assert.equal(delivery.event.data.id, payment.id);
    const last = received.find((r) => JSON.parse(r.raw).id === delivery.event.id);
    const event = await verifyWebhook({ rawBody: last.raw, signature: last.signature, secret: local.webhookSecret });
    assert.equal(event.type, "payment.captured");
  } finally {
    await local.stop();
    hooks.close();
  }
});
`,
    );
    const { stdout } = await run(process.execPath, ["--test", "checkout.test.mjs"], { cwd: project });
    expect(stdout).toMatch(/# pass 1\n# fail 0/);
    const { stdout: required } = await run(
      process.execPath,
      ["-e", 'const l = require("komoju-local"); console.log(typeof l.startLocalKomoju, typeof l.startMock)'],
      { cwd: project },
    );
    expect(required.trim()).toBe("function function");
  });
});
