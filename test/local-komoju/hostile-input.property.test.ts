import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auth, type LocalKomoju, startLocalKomoju } from "./support.js";

// Property tests over the local KOMOJU as a stranger would drive it: any body (JSON or
// form, any keys, __proto__ and constructor included, any nesting), any header, any Host
// and Origin, and any sequence of money-moving calls. Whatever arrives, the process keeps
// answering, Object.prototype gains nothing, a refused call keeps nothing, and money
// moves only as the successful calls asked. One instance for the file; a few hundred
// runs in all, seconds not minutes.
let komoju: LocalKomoju;
let sessionId: string;
let paymentId: string;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  komoju = await startLocalKomoju();
  const session = await send("POST", "/api/v1/sessions", json({ amount: 1000, currency: "JPY" }));
  sessionId = JSON.parse(session.text).id;
  const payment = await send(
    "POST",
    "/api/v1/payments",
    json({ amount: 1000, currency: "JPY", capture: false, payment_details: "tok_abc" }),
  );
  paymentId = JSON.parse(payment.text).id;
}, 60_000);
afterAll(() => komoju?.stop());

interface Sent {
  headers?: Record<string, string>;
  body?: string;
}

const json = (body: unknown): Sent => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** One raw HTTP exchange (any Host, any header Node will write), with the test key unless told otherwise. */
function send(method: string, path: string, { headers = {}, body = "" }: Sent = {}) {
  const { hostname, port, host } = new URL(komoju.url);
  const all = { host, ...auth(), ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers: all }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Every held record, by identity: a commit replaces what it touches, so any change shows. */
function held() {
  const { sessions, sessionStates, payments, customers, events } = komoju.komoju;
  return [sessions, sessionStates, payments, customers, events].map((records) => [...records.entries()].flat());
}

function expectUnchanged(before: unknown[][], why: string) {
  const after = held();
  expect(
    after.map((entries) => entries.length),
    why,
  ).toEqual(before.map((entries) => entries.length));
  for (const [i, entries] of after.entries())
    for (const [j, entry] of entries.entries()) expect(entry === before[i]![j], why).toBe(true);
}

/** Refused (not 2xx) calls keep nothing, except a declined card's failed payment (a 502 the spec describes). */
async function expectKeptOnlyIfAccepted(method: string, path: string, sent: Sent) {
  const before = held();
  const answer = await send(method, path, sent);
  expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
  if (path.startsWith("/api/") && (answer.status < 200 || answer.status > 299) && answer.status !== 502)
    expectUnchanged(before, `${method} ${path} ${answer.status} ${answer.text.slice(0, 200)}`);
  return answer;
}

beforeEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
});

async function expectAlive() {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((await send("GET", "/_local/health")).status).toBe(200);
}

const KEYS = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "polluted", "toString", "hasOwnProperty", "valueOf"),
  fc.constantFrom("amount", "currency", "metadata", "payment_details", "capture", "type", "日本", "ｶﾅ", ""),
  fc.string({ maxLength: 8 }),
);

/** JSON text with any keys (written as text, so __proto__ is an own key on the wire) and any nesting. */
const { node: jsonText } = fc.letrec<{ node: string; object: string; array: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 0 }).map((value) => JSON.stringify(value)),
    tie("object"),
    tie("array"),
  ),
  object: fc
    .array(fc.tuple(KEYS, tie("node")), { maxLength: 4 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(",")}}`),
  array: fc.array(tie("node"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
}));

/** A JSON body: a valid create body with any entries after it, or any JSON text at all. */
const jsonBody = fc.oneof(
  fc
    .array(fc.tuple(KEYS, jsonText), { maxLength: 4 })
    .map(
      (entries) =>
        `{"amount":1000,"currency":"JPY","payment_details":"tok_abc"${entries.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join("")}}`,
    ),
  jsonText,
  fc.string({ maxLength: 40 }),
);

/** A Rack-style form body: bracketed keys of any segments, raw or percent-encoded. */
const formBody = fc
  .array(fc.tuple(fc.array(KEYS, { minLength: 1, maxLength: 4 }), fc.string({ maxLength: 12 }), fc.boolean()), {
    maxLength: 6,
  })
  .map((fields) =>
    fields
      .map(([[first, ...rest], value, encoded]) => {
        const key = `${first}${rest.map((segment) => `[${segment}]`).join("")}`;
        return `${encoded ? encodeURIComponent(key) : key}=${encodeURIComponent(value)}`;
      })
      .join("&"),
  );

const TARGETS = [
  ["POST", "/api/v1/sessions"],
  ["POST", "/api/v1/payments"],
  ["PATCH", "/api/v1/payments/{payment}"],
  ["POST", "/api/v1/payments/{payment}/capture"],
  ["POST", "/api/v1/payments/{payment}/refund"],
  ["POST", "/api/v1/payments/{payment}/refund_request"],
  ["POST", "/api/v1/customers"],
  ["POST", "/api/v1/sessions/{session}/pay"],
  ["POST", "/_local/payments/{payment}/capture"],
  ["POST", "/sessions/{session}/pay"],
] as const;

const target = fc
  .constantFrom(...TARGETS)
  .map(([method, path]) => [method, path.replace("{payment}", paymentId).replace("{session}", sessionId)] as const);

describe("any body", { timeout: 60_000 }, () => {
  it("JSON or form, any keys and nesting, to the API, /_local/ and the checkout page: answered, nothing reaches Object.prototype, a refusal keeps nothing", async () => {
    await fc.assert(
      fc.asyncProperty(target, fc.boolean(), jsonBody, formBody, async ([method, path], asForm, asJson, form) => {
        const sent = asForm
          ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: form }
          : { headers: { "content-type": "application/json" }, body: asJson };
        await expectKeptOnlyIfAccepted(method, path, sent);
        await expectAlive();
      }),
      { numRuns: 120 },
    );
  });
});

/** Header text as Node writes it: Latin-1 units, so non-ASCII arrives as its UTF-8 bytes. */
const headerText = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(..."日本語ｶﾅé€\t \"'<>;=,ab"), maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
  )
  .map((text) =>
    Buffer.from(text, "utf8")
      .toString("latin1")
      .replace(/[^\t\x20-\x7e\x80-\xff]/g, ""),
  );
const headerName = fc.oneof(
  fc.constantFrom(
    "x-komoju-idempotency",
    "content-type",
    "authorization",
    "x-komoju-api-version",
    "komoju-scenario",
    "accept",
    "prefer",
    "sec-fetch-site",
    "__proto__",
    "constructor",
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
);

describe("any header", { timeout: 60_000 }, () => {
  it("any names and values, non-ASCII included: answered, and a refusal keeps nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.dictionary(headerName, headerText, { maxKeys: 5 }),
        async ([method, path], headers) => {
          const { origin: _origin, ...sent } = headers;
          const body = JSON.stringify({ amount: 500, currency: "JPY", payment_details: "tok_abc" });
          await expectKeptOnlyIfAccepted(method, path, {
            headers: { "content-type": "application/json", ...sent },
            body,
          });
          await expectAlive();
        },
      ),
      { numRuns: 80 },
    );
  });
});

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

describe("any Host and Origin", { timeout: 60_000 }, () => {
  it("a Host that is not this machine's is refused (403 forbidden), and so is an Origin of another host on the API and /_local/", async () => {
    const { port } = new URL(komoju.url);
    const host = fc.oneof(
      fc.domain().map((name) => `${name}:${port}`),
      fc.ipV4().map((ip) => `${ip}:${port}`),
      fc.constantFrom(`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `127.0.0.1.evil.example:${port}`),
      // Node's client writes its own Host in place of an empty one.
      headerText.filter((text) => text.trim() !== ""),
    );
    const origin = fc.option(
      fc.oneof(
        fc.webUrl().map((url) => new URL(url).origin),
        fc.constant("null"),
        headerText,
      ),
      { nil: undefined },
    );
    const path = fc.constantFrom("/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv", "/_local/health", "/_local/events");
    await fc.assert(
      fc.asyncProperty(host, origin, path, async (hostHeader, originHeader, where) => {
        const headers: Record<string, string> = { host: hostHeader };
        if (originHeader !== undefined) headers.origin = originHeader;
        const answer = await send("GET", where, { headers });
        // What the server reads: the value without surrounding blanks.
        const name = hostHeader.trim().toLowerCase();
        let sameOrigin = originHeader === undefined;
        try {
          sameOrigin ||= new URL(String(originHeader).trim()).host === name;
        } catch {}
        const ours = LOOPBACK.test(name) || name === new URL(komoju.url).host;
        const why = `Host ${hostHeader} Origin ${originHeader} ${where}`;
        if (!ours || !sameOrigin) {
          expect(answer.status, why).toBe(403);
          expect(JSON.parse(answer.text).error.code, why).toBe("forbidden");
        } else expect(answer.status, why).toBe(200);
      }),
      { numRuns: 100 },
    );
    await expectAlive();
  });
});

/** What the successful calls asked for, per payment: what it may capture, what was captured and refunded. */
interface Ledger {
  authorized: number;
  captured: number;
  refunded: number;
  cash: boolean;
}

type Step =
  | { kind: "create"; amount: number; capture: boolean; konbini: boolean }
  | { kind: "session"; amount: number; manual: boolean }
  | { kind: "capture" | "refund"; pick: number; amount: number | undefined }
  | { kind: "cancel" | "paid" | "patch" | "refundRequest"; pick: number; amount: number };

const amount = fc.integer({ min: -5, max: 3000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("create" as const), amount, capture: fc.boolean(), konbini: fc.boolean() }),
  fc.record({ kind: fc.constant("session" as const), amount, manual: fc.boolean() }),
  fc.record({
    kind: fc.constantFrom("capture" as const, "refund" as const),
    pick: fc.nat(),
    amount: fc.option(amount, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constantFrom("cancel" as const, "paid" as const, "patch" as const, "refundRequest" as const),
    pick: fc.nat(),
    amount,
  }),
);

const BANK = {
  customer_name: "ﾔﾏﾀﾞ ﾀﾛｳ",
  bank_name: "みずほ銀行",
  branch_number: "001",
  account_type: "normal",
  account_number: "1234567",
  include_payment_method_fee: false,
};

/** Runs one step; returns the payment id it made, if any. Updates `ledgers` from what succeeded. */
async function run(s: Step, ids: string[], ledgers: Map<string, Ledger>): Promise<void> {
  const pickId = (pick: number) => (ids.length === 0 || pick % 5 === 4 ? `unknown${pick}` : ids[pick % ids.length]!);
  if (s.kind === "create" || s.kind === "session") {
    const konbini = s.kind === "create" && s.konbini;
    const details = konbini ? { type: "konbini", store: "lawson", email: "t@example.com" } : "tok_abc";
    let answer: { status: number; text: string };
    if (s.kind === "create") {
      const body = { amount: s.amount, currency: "JPY", capture: s.capture, payment_details: details };
      answer = await expectKeptOnlyIfAccepted("POST", "/api/v1/payments", json(body));
    } else {
      const session = { amount: s.amount, currency: "JPY", payment_data: { capture: s.manual ? "manual" : "auto" } };
      const created = await expectKeptOnlyIfAccepted("POST", "/api/v1/sessions", json(session));
      if (created.status !== 200) return;
      const id = JSON.parse(created.text).id;
      answer = await expectKeptOnlyIfAccepted("POST", `/api/v1/sessions/${id}/pay`, json({ payment_details: details }));
    }
    if (answer.status !== 200) return;
    const made = JSON.parse(answer.text);
    const payment = made.payment ?? made;
    ids.push(payment.id);
    const captured = payment.status === "captured" ? payment.amount : 0;
    ledgers.set(payment.id, { authorized: payment.amount, captured, refunded: 0, cash: konbini });
    return;
  }
  const id = pickId(s.pick);
  const ledger = ledgers.get(id);
  const path = `/api/v1/payments/${id}`;
  if (s.kind === "capture") {
    const body = s.amount === undefined ? undefined : json({ amount: s.amount });
    const answer = await expectKeptOnlyIfAccepted("POST", `${path}/capture`, body ?? {});
    if (answer.status === 200 && ledger) ledger.captured = s.amount ?? ledger.authorized;
  } else if (s.kind === "refund") {
    const body = s.amount === undefined ? {} : json({ amount: s.amount });
    const answer = await expectKeptOnlyIfAccepted("POST", `${path}/refund`, body);
    if (answer.status === 200 && ledger) ledger.refunded += s.amount ?? ledger.captured - ledger.refunded;
  } else if (s.kind === "paid") {
    const answer = await expectKeptOnlyIfAccepted("POST", `/_local/payments/${id}/capture`, {});
    if (answer.status === 200 && ledger) ledger.captured = ledger.authorized;
  } else if (s.kind === "cancel") await expectKeptOnlyIfAccepted("POST", `${path}/cancel`, {});
  else if (s.kind === "patch")
    await expectKeptOnlyIfAccepted("PATCH", path, json({ metadata: { step: String(s.amount) } }));
  else await expectKeptOnlyIfAccepted("POST", `${path}/refund_request`, json({ ...BANK, amount: s.amount }));
}

/** Each payment as held against what the successful calls asked: money moved only as asked. */
async function expectMoneyAsAsked(ledgers: Map<string, Ledger>) {
  let asked = 0;
  let held = 0;
  for (const [id, ledger] of ledgers) {
    const payment = JSON.parse((await send("GET", `/api/v1/payments/${id}`)).text);
    const captured = ["captured", "refunded"].includes(payment.status) ? payment.amount : 0;
    expect(payment.amount_refunded, id).toBe(ledger.refunded);
    expect(payment.amount_refunded, id).toBeLessThanOrEqual(captured);
    expect(captured, id).toBe(ledger.captured);
    if (ledger.cash) expect(payment.amount_refunded, `${id}: a cash payment is refunded by request only`).toBe(0);
    asked += ledger.captured - ledger.refunded;
    held += captured - payment.amount_refunded;
  }
  expect(held).toBe(asked);
}

describe("any sequence of calls", { timeout: 60_000 }, () => {
  it("create, pay, capture, refund, cancel, PATCH, refund request with any amounts and ids: money moves only as the successful calls asked, a refund never exceeds the capture, a refusal keeps nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const ids: string[] = [];
        const ledgers = new Map<string, Ledger>();
        for (const s of steps) await run(s, ids, ledgers);
        await expectMoneyAsAsked(ledgers);
        await expectAlive();
      }),
      { numRuns: 40 },
    );
  });
});
