import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckoutServer } from "../examples/checkout-server.js";
import { contractClient, isMock } from "./support/target.js";

describe.runIf(isMock)("examples/checkout-server.ts against the mock", () => {
  const { client, exchanges } = contractClient();
  let base = "";
  const server = createCheckoutServer({ komoju: client, publicUrl: "http://127.0.0.1" });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("GET /checkout creates a session and redirects the customer to its session_url", async () => {
    const response = await fetch(`${base}/checkout`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("https://komoju.com/sessions/e9x5mvx3jkpkofzcg7umfael6");
    const sent = JSON.parse(exchanges.at(-1)!.body);
    expect(sent).toMatchObject({ amount: 8888, currency: "JPY", return_url: "http://127.0.0.1/return" });
  });

  it("GET /return?session_id=… looks the session up and shows its status", async () => {
    const response = await fetch(`${base}/return?session_id=e9x5mvx3jkpkofzcg7umfael6`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("<p>Your payment is pending.</p>");
    expect(exchanges.at(-1)!.request.url).toMatch(/\/api\/v1\/sessions\/e9x5mvx3jkpkofzcg7umfael6$/);
  });

  it("answers 400 without a session_id, and hides KOMOJU's errors from the customer", async () => {
    expect((await fetch(`${base}/return`)).status).toBe(400);
    const failing = createCheckoutServer({
      komoju: contractClient({ headers: { Prefer: "code=404" } }).client,
      publicUrl: "http://127.0.0.1",
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const response = await fetch(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/return?session_id=nope`);
    failing.close();
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Sorry, something went wrong with the payment.");
  });
});
