import { describe, expect, inject, it } from "vitest";
import { createKomojuClient, KomojuApiError } from "../src/index.js";
import seedShow from "../test/fixtures/seed-show-session.json" with { type: "json" };
import { drifts } from "./support/drifting-upstream.js";

const { proxyUrl, upstreamUrl } = inject("driftTarget");
const client = () => createKomojuClient({ secretKey: "sk_test_drift", baseUrl: proxyUrl, maxRetries: 0 });
const forwarded = async () => (await (await fetch(`${upstreamUrl}/__requests`)).json()) as string[];

describe("prism proxy --errors reports every way an upstream drifts from the spec", () => {
  it("passes a conforming answer through untouched", async () => {
    const session = await client().sessions.retrieve("conformingsession1");
    expect(session).toEqual({ ...seedShow, id: "conformingsession1" });
  });

  it.each(Object.entries(drifts))("%s", async (id, drift) => {
    // The helper fails with a typed error…
    const error = await client()
      .sessions.retrieve(id)
      .then(
        () => expect.fail("drift went unreported"),
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(KomojuApiError);
    // …and the raw client shows Prism's verdict: a 500 problem+json listing the
    // violations, or, for a status the spec does not know, the `sl-violations` header.
    const { error: raw, response } = await client().GET("/api/v1/sessions/{id}", { params: { path: { id } } });
    const problem = raw as unknown as { type: string; validation: unknown };
    const reported =
      response.status === 500 ? JSON.stringify(problem.validation) : (response.headers.get("sl-violations") ?? "");
    if (response.status === 500) expect(problem.type).toMatch(/VIOLATIONS$/);
    expect(reported).toMatch(drift.expected);
  });

  it("refuses an invalid request without forwarding it", async () => {
    const before = (await forwarded()).length;
    await expect(
      client().sessions.create({ currency: "JPY", return_url: "https://example.com" } as never),
    ).rejects.toMatchObject({ status: 422 });
    expect(await forwarded()).toHaveLength(before);
  });
});
