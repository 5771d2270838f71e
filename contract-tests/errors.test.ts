import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  IdempotencyConflictError,
  KomojuApiError,
  KomojuError,
  NotFoundError,
  PermissionDeniedError,
  ServerError,
  UnprocessableEntityError,
} from "../src/index.js";
import { deref, spec } from "../test/support/spec.js";
import { contractClient, isMock } from "./support/target.js";

const CLASS_BY_STATUS: Record<string, typeof KomojuApiError> = {
  "400": BadRequestError,
  "401": AuthenticationError,
  "403": PermissionDeniedError,
  "404": NotFoundError,
  "409": IdempotencyConflictError,
  "422": UnprocessableEntityError,
  "500": ServerError,
  "502": ServerError,
  "503": ServerError,
  "504": ServerError,
};

type Call = (client: ReturnType<typeof contractClient>["client"], headers: Record<string, string>) => Promise<unknown>;
const id = "e9x5mvx3jkpkofzcg7umfael6";
const calls: Record<string, Call> = {
  createSession: (c, headers) => c.sessions.create({ amount: 1000, currency: "JPY", return_url: "https://example.com" }, { headers }),
  getSession: (c, headers) => c.sessions.retrieve(id, { headers }),
  cancelSession: (c, headers) => c.sessions.cancel(id, { headers }),
  paySession: (c, headers) => c.sessions.pay(id, { payment_details: "tok_abc123" }, { headers }),
};

/** Every (operation, documented error status) pair in the spec, with the code its example carries. */
const documented = Object.values(spec.paths).flatMap((item) =>
  Object.values(item)
    .filter((op): op is { operationId: string; responses: Record<string, unknown> } => typeof op === "object" && op !== null && "operationId" in op)
    .flatMap((op) =>
      Object.entries(op.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => {
          const content = deref<{ content: Record<string, { examples: Record<string, unknown> }> }>(response).content["application/json"]!;
          const example = deref<{ value: { error: { code: string } } }>(Object.values(content.examples)[0]);
          return { operationId: op.operationId, status, code: example.value.error.code };
        }),
    ),
);

// `Prefer: code=…` is a mock feature; a real server cannot be asked for an error.
describe.runIf(isMock)("every documented error status becomes the matching typed error", () => {
  it("covers every operation", () => {
    expect(new Set(documented.map((d) => d.operationId))).toEqual(new Set(Object.keys(calls)));
    expect(documented.length).toBeGreaterThanOrEqual(36);
  });

  it.each(documented.map((d) => [`${d.operationId} ${d.status} ${d.code}`, d] as const))("%s", async (_name, d) => {
    const { client } = contractClient();
    const error = await calls[d.operationId]!(client, { Prefer: `code=${d.status}` }).then(
      () => expect.fail("expected a KomojuError"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KomojuError);
    expect(error).toBeInstanceOf(CLASS_BY_STATUS[d.status]);
    expect(error).toMatchObject({ status: Number(d.status), code: d.code });
    expect((error as KomojuError).message).not.toContain("sk_test");
    if (d.operationId !== "getSession") expect((error as KomojuError).idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });
});
