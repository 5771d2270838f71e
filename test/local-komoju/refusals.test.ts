import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childrenOf, commandLine, processName, VITEST_WORKER } from "../support/processes.js";
import { validatorAt } from "../support/spec.js";
import { call, type LocalKomoju, startLocalKomoju, startPrism } from "./support.js";

let komoju: LocalKomoju;
beforeAll(async () => {
  komoju = await startLocalKomoju();
}, 60_000);
afterAll(() => komoju?.stop());

const validError = validatorAt("#/components/schemas/Error");

async function refused(path: string, body: unknown) {
  const response = await call(komoju.url, "POST", path, body);
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  expect(validError(response.body), JSON.stringify(validError.errors)).toBe(true);
  // Prism's own findings stay available to tools that read them (the client quotes the first).
  expect(JSON.parse(response.headers.get("sl-violations") ?? "[]").length).toBeGreaterThan(0);
  return response.body.error;
}

describe("truthful refusals", { timeout: 30_000 }, () => {
  const valid = { amount: 1000, currency: "JPY", return_url: "https://e.example/r" };
  let session: string;
  beforeAll(async () => {
    session = (await call(komoju.url, "POST", "/api/v1/sessions", valid)).body.id;
  });

  it("names the missing parameter", async () => {
    expect(await refused("/api/v1/sessions", { amount: 1000, return_url: valid.return_url })).toEqual({
      code: "missing_parameter",
      message: "A required parameter (currency) is missing",
      param: "currency",
    });
    const { currency: _, ...noCurrency } = valid;
    expect((await refused("/api/v1/sessions", { ...noCurrency, amount: undefined })).param).toMatch(
      /^(amount|currency)$/,
    );
  });

  it("names the invalid parameter and says why", async () => {
    const amount = await refused("/api/v1/sessions", { ...valid, amount: "abc" });
    expect(amount).toMatchObject({ code: "invalid_parameter", param: "amount" });
    const locale = await refused("/api/v1/sessions", { ...valid, default_locale: "fr" });
    expect(locale.param).toBe("default_locale");
    expect(locale.message).toContain("allowed values");
  });

  it("names a parameter the request does not accept, nested ones in Rails form", async () => {
    expect(await refused("/api/v1/sessions", { ...valid, amout: 5 })).toMatchObject({ param: "amout" });
    const nested = await refused(`/api/v1/sessions/${session}/pay`, {
      payment_details: { type: "konbini", store: "lawson", email: "t@example.com", colour: "red" },
    });
    expect(nested).toMatchObject({ code: "invalid_parameter", param: "payment_details[colour]" });
  });

  it("blames the branch the caller chose, not every branch of the oneOf", async () => {
    expect(
      await refused(`/api/v1/sessions/${session}/pay`, {
        payment_details: { type: "konbini", email: "t@example.com" },
      }),
    ).toMatchObject({
      code: "missing_parameter",
      param: "payment_details[store]",
    });
    const card = await refused(`/api/v1/sessions/${session}/pay`, {
      payment_details: { type: "credit_card", number: "4111111111111111", month: 13, year: 2030 },
    });
    expect(card).toMatchObject({ code: "invalid_parameter", param: "payment_details[month]" });
    expect(await refused("/api/v1/sessions", { ...valid, customer_id: "cus_1" })).toMatchObject({
      param: "customer_id",
    });
  });

  it("a path the spec lacks answers 404 not_found, in KOMOJU's envelope", async () => {
    const response = await call(komoju.url, "GET", "/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe("not_found");
    expect(validError(response.body)).toBe(true);
  });

  it("an operation the spec has but the simulator does not yet answers 404 saying so", async () => {
    const response = await call(komoju.url, "POST", "/api/v1/tokens", {});
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      code: "not_found",
      message:
        "The local KOMOJU does not simulate POST /api/v1/tokens yet (npm run mock answers it with the spec's examples).",
      param: null,
    });
  });

  it("logs the first violation beside the status", async () => {
    expect(await komoju.output()).toMatch(
      /^POST \/api\/v1\/sessions 422 \d+ ms {2}A required parameter \(currency\) is missing$/m,
    );
  });
});

describe("processes", () => {
  it.runIf(process.platform === "linux")(
    "runs in the process that starts it (front, Prism and simulator): it spawns no child that could outlive it",
    async () => {
      const before = await childrenOf(process.pid);
      const second = await startLocalKomoju();
      try {
        expect((await call(second.url, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv")).status).toBe(200);
        const started = (await childrenOf(process.pid)).filter((pid) => !before.includes(pid));
        // This file's vitest worker holds it. A child that has exited but is not yet reaped has
        // no command line left, only its name: it counts unless it is a Node process or already gone.
        const children = await Promise.all(
          started.map(async (pid) => ({ command: await commandLine(pid), name: await processName(pid) })),
        );
        expect(
          children.filter(({ command, name }) =>
            command ? !VITEST_WORKER.test(command) : name !== "" && name !== "node",
          ),
        ).toEqual([]);
      } finally {
        await second.stop();
      }
      await expect(fetch(second.url)).rejects.toThrow();
    },
  );

  it("Prism's server closes at once though a client holds a request half sent (Ctrl-C would otherwise wait for it)", async () => {
    const prism = await startPrism();
    const { port } = new URL(prism.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write(
      'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"amount":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = await Promise.race([
      prism.stop().then(() => "closed"),
      new Promise((resolve) => setTimeout(resolve, 5_000, "still waiting")),
    ]);
    expect(closed).toBe("closed");
    socket.destroy();
  });
});
