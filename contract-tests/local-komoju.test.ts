import { describe, expect, inject, it } from "vitest";
import { deref, spec, validatorAt, violations } from "../test/support/spec.js";
import { violationsOf } from "./support/target.js";

// The contract suite's check of the local KOMOJU (packages/komoju-local/src/): every operation's
// success request, built from the spec's own request examples, sent to the simulator
// behind `prism proxy --errors`. A 2xx answer valid against its schema with Ajv and no
// `sl-violations` from Prism proves the simulator still speaks the spec; a refusal
// names the request Prism or the simulator would not take.

/** Described by the spec, answered by `npm run mock` only. Listing is a claim the test checks both ways. */
const NOT_SIMULATED = new Set(["listPaymentMethods", "createToken", "getBarcode"]);

const base = inject("localKomojuUrl");
const KEY = "sk_test_contract";
const VERBS = ["get", "post", "patch", "delete", "put"] as const;
const pointerEscape = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

interface Parameter {
  name: string;
  in: string;
  example?: unknown;
  examples?: Record<string, unknown>;
  schema?: { example?: unknown };
}
interface Operation {
  operationId: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}
interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

const exampleOf = (p: Parameter) =>
  p.example ?? deref<{ value?: unknown }>(Object.values(p.examples ?? {})[0])?.value ?? p.schema?.example;

/** The named JSON request examples of an operation; one `undefined` body when it takes none. */
function requestExamples(operation: Operation): [string, Record<string, unknown> | undefined][] {
  const content = deref<{ content: Record<string, { examples?: Record<string, unknown> }> } | undefined>(
    operation.requestBody,
  )?.content;
  if (!content) return [["no body", undefined]];
  return Object.entries(content["application/json"]?.examples ?? {}).map(([name, example]) => [
    name,
    deref<{ value: Record<string, unknown> }>(example).value,
  ]);
}

const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
  VERBS.filter((verb) => item[verb]).map((verb) => {
    const operation = item[verb] as Operation;
    const parameters = [...((item.parameters as unknown[]) ?? []), ...(operation.parameters ?? [])].map((raw) =>
      deref<Parameter>(raw),
    );
    return { template, verb, operation, parameters, pointer: `#/paths/${pointerEscape(template)}/${verb}` };
  }),
);
const byId = new Map(operations.map((o) => [o.operation.operationId, o]));

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(new URL(path, base), {
    method: method.toUpperCase(),
    headers: {
      authorization: `Basic ${btoa(`${KEY}:`)}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** Sends an operation's first JSON request example (or `body`) and insists on a 2xx. */
async function setUp(
  operationId: string,
  body?: Record<string, unknown>,
  path: Record<string, string> = {},
): Promise<any> {
  const { template, verb, operation } = byId.get(operationId)!;
  const sent = body ?? requestExamples(operation)[0]![1];
  const answer = await call(
    verb,
    template.replace(/\{([^}]+)\}/g, (_, name: string) => path[name]!),
    sent,
  );
  if (answer.status >= 300)
    throw new Error(`setting up with ${operationId} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A pending session that offers every method the simulator knows (the first create example, its payment_types dropped). */
async function pendingSession(): Promise<string> {
  const { payment_types: _offered, ...body } = requestExamples(byId.get("createSession")!.operation)[0]![1]!;
  return (await setUp("createSession", body)).id;
}

/** The first Pay request example whose payment_details `fits` (a token pays by card at once, a konbini later). */
const payExample = (fits: (details: unknown) => boolean) =>
  requestExamples(byId.get("paySession")!.operation).find(([, body]) => fits(body?.payment_details))?.[1];

async function paymentIn(status: "captured" | "authorized"): Promise<string> {
  const payment =
    status === "captured"
      ? (
          await setUp(
            "paySession",
            payExample((details) => typeof details === "string"),
            { id: await pendingSession() },
          )
        ).payment
      : await setUp(
          "createPayment",
          requestExamples(byId.get("createPayment")!.operation).find(([, body]) => body?.capture === false)?.[1],
        );
  if (payment?.status !== status)
    throw new Error(`expected a ${status} payment to set up with, got ${payment?.status}`);
  return payment.id;
}

/** A konbini payment the customer paid at the store (/_local/ moves it on): what a refund request is for. */
async function paidKonbini(): Promise<string> {
  const paid = await setUp(
    "paySession",
    payExample((details) => (details as { type?: string })?.type === "konbini"),
    {
      id: await pendingSession(),
    },
  );
  const captured = await call("post", `/_local/payments/${paid.payment?.id}/capture`);
  if (captured.body?.status !== "captured")
    throw new Error(`a konbini payment to set up with was not paid: ${captured.status}`);
  return captured.body.id;
}

const newCustomer = async () => (await setUp("createCustomer")).id as string;

/**
 * The resource a path id must name for the operation's 2xx, made fresh for each
 * request: the spec's example ids name resources in states one request may change.
 */
const FRESH: Record<string, () => Promise<string>> = {
  getSession: pendingSession,
  cancelSession: pendingSession,
  paySession: pendingSession,
  getPayment: () => paymentIn("captured"),
  updatePayment: () => paymentIn("captured"),
  refundPayment: () => paymentIn("captured"),
  createRefundRequest: paidKonbini,
  capturePayment: () => paymentIn("authorized"),
  cancelPayment: () => paymentIn("authorized"),
  getCustomer: newCustomer,
  updateCustomer: newCustomer,
  deleteCustomer: newCustomer,
  getEvent: async () => {
    await newCustomer();
    return (await setUp("listEvents")).data[0].id;
  },
};

/** Ids a request body refers to, made to exist: a payment for a saved customer needs that customer. */
async function withLiveReferences(body: Record<string, unknown> | undefined) {
  return typeof body?.customer === "string" ? { ...body, customer: await newCustomer() } : body;
}

async function send(o: (typeof operations)[number], body: Record<string, unknown> | undefined): Promise<Answer> {
  const fresh = FRESH[o.operation.operationId];
  const freshId = fresh && (await fresh());
  let path = o.template;
  const query = new URLSearchParams();
  for (const parameter of o.parameters) {
    const value = parameter.in === "path" && freshId ? freshId : exampleOf(parameter);
    if (parameter.in === "path") path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
    else if (parameter.in === "query" && value !== undefined) query.set(parameter.name, String(value));
  }
  if (/\{/.test(path)) throw new Error(`${o.operation.operationId}: a path parameter has no example`);
  return call(o.verb, `${path}${query.size > 0 ? `?${query}` : ""}`, await withLiveReferences(body));
}

const notSimulated = (answer: Answer) =>
  answer.status === 404 && /does not simulate/.test(answer.body?.error?.message ?? "");

describe("the local KOMOJU, behind prism proxy --errors, answers the spec's own requests as the spec says", () => {
  it.concurrent.each(
    operations.map((o) => [`${o.verb.toUpperCase()} ${o.template} (${o.operation.operationId})`, o] as const),
  )("%s", async (_name, o) => {
    const { operationId } = o.operation;
    const listed = NOT_SIMULATED.has(operationId);
    const problems: string[] = [];
    for (const [example, body] of requestExamples(o.operation)) {
      const answer = await send(o, body);
      if (listed) {
        if (!notSimulated(answer))
          problems.push(`${example}: simulated now (${answer.status}): remove ${operationId} from NOT_SIMULATED`);
        continue;
      }
      if (notSimulated(answer)) {
        problems.push(`${example}: not simulated; simulate it or list ${operationId} in NOT_SIMULATED`);
        continue;
      }
      const status = String(answer.status);
      if (!status.startsWith("2") || !o.operation.responses[status])
        problems.push(`${example}: status ${status}: ${JSON.stringify(answer.body)}`);
      for (const v of violationsOf(answer.headers))
        problems.push(`${example}: Prism: ${v.location.join(".")} ${v.message}`);
      const documented = deref<{ content?: Record<string, unknown> } | undefined>(o.operation.responses[status]);
      if (status.startsWith("2") && documented?.content) {
        const raw = o.operation.responses[status] as { $ref?: string };
        const pointer = `${raw.$ref ?? `${o.pointer}/responses/${status}`}/content/application~1json/schema`;
        problems.push(...violations(validatorAt(pointer), answer.body).map((v) => `${example}: ${v}`));
      }
    }
    expect(problems).toEqual([]);
  });

  it("lists only operations the spec has as not simulated, and exercises a good share of it", () => {
    expect([...NOT_SIMULATED].filter((id) => !byId.has(id))).toEqual([]);
    expect(Object.keys(FRESH).filter((id) => !byId.has(id) || NOT_SIMULATED.has(id))).toEqual([]);
    expect(operations.length - NOT_SIMULATED.size).toBeGreaterThanOrEqual(18);
  });
});
