import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import seedShow from "../test/fixtures/seed-show-session.json" with { type: "json" };
import { createKomojuClient, KomojuApiError } from "../src/index.js";
import { type PrismServer, startPrism } from "./support/prism.js";

/**
 * A stand-in for KOMOJU that breaks the spec on purpose, one way per session id, so
 * the proxy path (`KOMOJU_CONTRACT_UPSTREAM`) is proven to catch drift before anyone
 * points it at the real API.
 */
const drifts: Record<string, { status: number; type: string; body: string; expected: RegExp }> = {
  wrongconst: { status: 200, type: "application/json", body: JSON.stringify({ ...seedShow, resource: "sesion" }), expected: /resource must be equal to constant/ },
  unknownstatus: { status: 200, type: "application/json", body: JSON.stringify({ ...seedShow, status: "expired" }), expected: /status must be equal to one of the allowed values/ },
  missingfield: { status: 200, type: "application/json", body: JSON.stringify({ ...seedShow, created_at: undefined }), expected: /must have required property 'created_at'/ },
  wrongtype: { status: 200, type: "application/json", body: JSON.stringify({ ...seedShow, cancelled_at: 123 }), expected: /cancelled_at must be string,null/ },
  wrongmediatype: { status: 200, type: "text/html", body: "<html>maintenance</html>", expected: /media type \W+text\/html\W+ does not match/ },
  undocumentedstatus: { status: 418, type: "application/json", body: JSON.stringify({ error: { code: "teapot", message: "no" } }), expected: /Unable to match the returned status code with those defined in the document/ },
  noenvelope: { status: 404, type: "application/json", body: JSON.stringify({ message: "nope" }), expected: /must have required property 'error'/ },
};

let upstream: Server;
let proxy: PrismServer;
const seen: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const id = req.url!.split("/").pop()!;
    const drift = drifts[id];
    if (drift) return res.writeHead(drift.status, { "content-type": drift.type }).end(drift.body);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...seedShow, id }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  proxy = await startPrism({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
});

afterAll(async () => {
  await proxy?.stop();
  upstream?.close();
});

const client = () => createKomojuClient({ secretKey: "sk_test_drift", baseUrl: proxy.url, maxRetries: 0 });

describe("prism proxy --errors reports every way an upstream drifts from the spec", () => {
  it("passes a conforming answer through untouched", async () => {
    const session = await client().sessions.retrieve("conformingsession1");
    expect(session).toEqual({ ...seedShow, id: "conformingsession1" });
  });

  it.each(Object.entries(drifts))("%s", async (id, drift) => {
    // The helper fails with a typed error…
    const error = await client().sessions.retrieve(id).then(() => expect.fail("drift went unreported"), (e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuApiError);
    // …and the raw client shows Prism's verdict: a 500 problem+json listing the
    // violations, or, for a status the spec does not know, the `sl-violations` header.
    const { error: raw, response } = await client().GET("/api/v1/sessions/{id}", { params: { path: { id } } });
    const problem = raw as unknown as { type: string; validation: unknown };
    const reported = response.status === 500 ? JSON.stringify(problem.validation) : (response.headers.get("sl-violations") ?? "");
    if (response.status === 500) expect(problem.type).toMatch(/VIOLATIONS$/);
    expect(reported).toMatch(drift.expected);
  });

  it("refuses an invalid request without forwarding it", async () => {
    const before = seen.length;
    await expect(client().sessions.create({ currency: "JPY", return_url: "https://example.com" } as never)).rejects.toMatchObject({ status: 422 });
    expect(seen.length).toBe(before);
  });
});
