import qs from "qs";
import { describe, expect, it } from "vitest";
import {
  type KomojuApiError,
  KomojuAuthenticationError,
  KomojuBadRequestError,
  KomojuIdempotencyConflictError,
  KomojuNotFoundError,
  KomojuPaymentError,
  KomojuPermissionDeniedError,
  KomojuRateLimitError,
  KomojuServerError,
  KomojuUnprocessableEntityError,
} from "../src/errors.js";
import { toRackForm } from "../src/form.js";
import { deref, spec, validatorAt, violations } from "../test/support/spec.js";
import { contractClient, isMock, violationsOf } from "./support/target.js";

// The contract suite generated from the spec itself: every operation × request media
// type × documented status, with requests built from the spec's own examples, sent
// through the client against Prism (`Prefer: code=…, example=…` picks the answer), and
// every answer checked against its schema with Ajv. Adding an operation to the spec
// adds its contract tests; an operation the suite cannot build a request for fails.
// The webhook is a request KOMOJU sends, not an operation of the API: test/webhooks/
// covers it.

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  schema?: { example?: unknown };
}
interface MediaType {
  example?: unknown;
  examples?: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  tags?: string[];
  "x-komoju-method"?: string;
  "x-komoju-resource"?: string;
  parameters?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, unknown>;
}
interface Response {
  content?: Record<string, MediaType>;
  headers?: Record<string, { $ref?: string; required?: boolean }>;
}

/** One request to send: an operation, a request media type (`none` without a body), and the status asked of Prism. */
interface Case {
  operationId: string;
  verb: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  template: string;
  pointer: string;
  mediaType: string;
  status: string;
  /** The named response example asked for with `Prefer: example=…`, when the status has several. */
  responseExample?: string;
  /** Which request example the body came from, for the test name. */
  requestExample?: string;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: unknown;
  operation: Operation;
}

const VERBS = ["get", "post", "patch", "delete", "put"] as const;
const FORM = "application/x-www-form-urlencoded";
const escapePointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

function exampleOf(parameter: Parameter): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named) return deref<{ value?: unknown }>(named).value;
  return parameter.schema?.example;
}

/** The named examples of a media type as [name, value], falling back to its sibling media types' (a form body is the JSON one, encoded). */
function requestExamples(content: Record<string, MediaType>, mediaType: string): [string, unknown][] {
  const own = (media: MediaType | undefined): [string, unknown][] => [
    ...Object.entries(media?.examples ?? {}).map(([name, example]): [string, unknown] => [
      name,
      deref<{ value?: unknown }>(example).value,
    ]),
    ...(media?.example !== undefined ? [["example", media.example] as [string, unknown]] : []),
  ];
  const mine = own(content[mediaType]);
  if (mine.length > 0) return mine;
  return Object.keys(content).flatMap((other) => own(content[other]));
}

const unbuildable: string[] = [];

function casesOf(
  template: string,
  verb: (typeof VERBS)[number],
  operation: Operation,
  pathParameters: unknown[],
): Case[] {
  const parameters = [...pathParameters, ...(operation.parameters ?? [])].map((raw) => deref<Parameter>(raw));
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const parameter of parameters) {
    const value = exampleOf(parameter);
    if (parameter.in === "path") {
      if (value === undefined)
        unbuildable.push(`${operation.operationId}: path parameter ${parameter.name} has no example`);
      path[parameter.name] = value;
    } else if (parameter.in === "query" && value !== undefined) {
      query[parameter.name] = value;
    } else if (parameter.in === "query" && parameter.required) {
      unbuildable.push(`${operation.operationId}: required query parameter ${parameter.name} has no example`);
    }
  }

  const pointer = `#/paths/${escapePointer(template)}/${verb}`;
  const base = {
    operationId: operation.operationId,
    verb: verb.toUpperCase() as Case["verb"],
    template,
    pointer,
    path,
    query,
    operation,
  };
  const requestBody = deref<Operation["requestBody"]>(operation.requestBody);
  const content = requestBody?.content;
  const bodies: { mediaType: string; examples: [string, unknown][] }[] = content
    ? Object.keys(content).map((mediaType) => ({ mediaType, examples: requestExamples(content, mediaType) }))
    : [{ mediaType: "none", examples: [] }];

  const cases: Case[] = [];
  for (const { mediaType, examples } of bodies) {
    if (content && examples.length === 0) {
      if (requestBody?.required) unbuildable.push(`${operation.operationId}: ${mediaType} body has no example`);
      examples.push(["no body", undefined]);
    }
    const [firstName, firstBody] = examples[0] ?? [undefined, undefined];
    for (const [status, rawResponse] of Object.entries(operation.responses)) {
      const response = deref<Response>(rawResponse);
      const responseExamples = Object.keys(response.content?.["application/json"]?.examples ?? {});
      if (status.startsWith("2")) {
        // Every request example once, then every response example once.
        for (const [name, body] of examples) cases.push({ ...base, mediaType, status, requestExample: name, body });
        for (const name of responseExamples.slice(examples.length > 0 ? 0 : 1)) {
          cases.push({ ...base, mediaType, status, responseExample: name, requestExample: firstName, body: firstBody });
        }
        if (examples.length === 0 && responseExamples.length <= 1) cases.push({ ...base, mediaType, status });
      } else {
        cases.push({ ...base, mediaType, status, requestExample: firstName, body: firstBody });
      }
    }
  }
  return cases;
}

const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
  VERBS.filter((verb) => item[verb]).map((verb) => {
    const operation = item[verb] as Operation;
    return {
      template,
      verb,
      operation,
      cases: casesOf(template, verb, operation, (item.parameters as unknown[]) ?? []),
    };
  }),
);

const clients = { json: contractClient(), form: contractClient({ encoding: "form" }) };
const clientFor = (mediaType: string) => (mediaType === FORM ? clients.form : clients.json).client;

type RawMethod = (
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: globalThis.Response }>;

/** Sends a case through the client's raw openapi-fetch method for its verb. */
async function sendRaw(c: Case) {
  const client = clientFor(c.mediaType) as unknown as Record<string, RawMethod>;
  const prefer = c.responseExample ? `code=${c.status}, example=${c.responseExample}` : `code=${c.status}`;
  return client[c.verb]!(c.template, {
    params: { path: c.path, query: c.query },
    ...(c.body !== undefined && { body: c.body }),
    headers: { Prefer: prefer },
  });
}

/**
 * Prism reads Rack-style form bodies only partly (it drops `key[field]` objects inside
 * a `oneOf`, e.g. `payment_details[type]`), so it refuses some valid form bodies. The
 * body as sent is parsed with qs, as Rack does, and checked with Ajv against the
 * media type's schema: that check decides, and the answer for that status is the
 * one checked with the JSON body.
 */
function formViolations(c: Case): string[] {
  const raw = c.operation.requestBody as { $ref?: string };
  const pointer = `${raw.$ref ?? `${c.pointer}/requestBody`}/content/${escapePointer(FORM)}/schema`;
  const parsed = qs.parse(toRackForm(c.body as Record<string, unknown>), {
    depth: 10,
    arrayLimit: 1000,
    parameterLimit: 10_000,
  });
  return violations(validatorAt(pointer, { coerceTypes: true }), parsed);
}

const prismMisreadForm = (c: Case, status: number, prism: { location: string[] }[]) =>
  c.mediaType === FORM &&
  status === 422 &&
  prism.length > 0 &&
  prism.every((v) => v.location.join(".").startsWith("request.body"));

/** Where the status's response sits in the bundled spec: shared responses are `$ref`s into components. */
const responsePointer = (c: Case) =>
  (c.operation.responses[c.status] as { $ref?: string }).$ref ?? `${c.pointer}/responses/${c.status}`;
const schemaPointer = (c: Case, mediaType: string) =>
  `${responsePointer(c)}/content/${escapePointer(mediaType)}/schema`;

/** What Ajv says about the documented headers of an answer: each one sent valid against its schema, a required one sent. */
function headerViolations(c: Case, response: globalThis.Response): string[] {
  return Object.entries(deref<Response>(c.operation.responses[c.status]).headers ?? {}).flatMap(([name, raw]) => {
    const value = response.headers.get(name);
    if (value === null)
      return deref<{ required?: boolean }>(raw).required ? [`header ${name} is required, none was sent`] : [];
    const pointer = `${raw.$ref ?? `${responsePointer(c)}/headers/${escapePointer(name)}`}/schema`;
    return violations(validatorAt(pointer), value).map((v) => `header ${name}: ${v}`);
  });
}

/** What Ajv says about an answer's body: valid against the documented schema, or none sent for a bodiless status. */
function bodyViolations(c: Case, response: globalThis.Response, body: unknown): string[] {
  const documented = deref<Response>(c.operation.responses[c.status]).content;
  if (!documented)
    return body === undefined || body === null || body === ""
      ? []
      : [`${c.status} documents no body, got ${JSON.stringify(body)}`];
  const mediaType = response.headers.get("content-type")?.split(";")[0] ?? "";
  if (!documented[mediaType]) return [`content-type ${mediaType} is not documented for ${c.status}`];
  return violations(validatorAt(schemaPointer(c, mediaType)), body);
}

const answerViolations = (c: Case, response: globalThis.Response, body: unknown) => [
  ...headerViolations(c, response),
  ...bodyViolations(c, response, body),
];

const camelCase = (tag: string) =>
  tag.replace(/[^A-Za-z0-9]+(.)/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toLowerCase());

/**
 * Calls the operation's generated resource method, as users do: path parameters in
 * path order, then the body (or the query), then the request options.
 */
function callResource(c: Case, headers: Record<string, string>): Promise<unknown> {
  const resource = c.operation["x-komoju-resource"] ?? camelCase(c.operation.tags![0]!);
  const method = (
    clientFor(c.mediaType) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>
  )[resource]?.[c.operation["x-komoju-method"]!];
  if (!method) throw new Error(`${c.operationId}: the client has no ${resource}.${c.operation["x-komoju-method"]}`);
  const names = [...c.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const input = c.operation.requestBody ? c.body : Object.keys(c.query).length > 0 ? c.query : undefined;
  const slot = c.operation.requestBody || Object.keys(c.query).length > 0 ? [input] : [];
  return method(...names.map((name) => c.path[name]), ...slot, { headers });
}

/** The `error.code` of the status's first example, "" when it has none. */
function exampleCode(c: Case): string {
  const examples = deref<Response>(c.operation.responses[c.status]).content?.["application/json"]?.examples ?? {};
  return deref<{ value?: { error?: { code?: string } } }>(Object.values(examples)[0])?.value?.error?.code ?? "";
}

const ERROR_CLASS: Record<string, typeof KomojuApiError> = {
  "400": KomojuBadRequestError,
  "401": KomojuAuthenticationError,
  "403": KomojuPermissionDeniedError,
  "404": KomojuNotFoundError,
  "409": KomojuIdempotencyConflictError,
  "422": KomojuUnprocessableEntityError,
  "429": KomojuRateLimitError,
};
const expectedClass = (status: string, code: string) =>
  ERROR_CLASS[status] ?? (status === "502" && code !== "bad_gateway" ? KomojuPaymentError : KomojuServerError);

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const covered = new Set<string>();
const label = (c: Case) =>
  `${c.status}${c.responseExample ? ` (${c.responseExample})` : ""}${c.requestExample ? ` ← ${c.requestExample}` : ""}`;

// `Prefer` is a mock feature: a real server cannot be asked for a status.
describe.runIf(isMock)("the spec's own examples, through the client, against Prism", () => {
  describe.each(
    operations.map((o) => [`${o.verb.toUpperCase()} ${o.template} (${o.operation.operationId})`, o] as const),
  )("%s", (_name, { cases }) => {
    const byMediaType = groupBy(cases, (c) => c.mediaType);
    it.each([...byMediaType.entries()])(
      "%s: every documented status, answer valid against its schema",
      async (_mediaType, group) => {
        const results = await Promise.all(
          group.map(async (c) => {
            const { data, error, response } = await sendRaw(c);
            const prism = violationsOf(response.headers);
            const wire = c.mediaType === FORM && c.body !== undefined ? formViolations(c) : [];
            if (prismMisreadForm(c, response.status, prism) && wire.length === 0) return { c, problems: [] };
            const problems = [
              ...(response.status === Number(c.status) ? [] : [`status ${response.status}, expected ${c.status}`]),
              ...prism.map((v) => `Prism: ${v.location.join(".")} ${v.message}`),
              ...wire.map((v) => `form body as sent: ${v}`),
              ...answerViolations(c, response, data ?? error),
            ];
            return { c, problems };
          }),
        );
        expect(
          results.filter((r) => r.problems.length > 0).map((r) => `${label(r.c)}: ${r.problems.join("; ")}`),
        ).toEqual([]);
        for (const { c } of results) covered.add(`${c.operationId} ${c.mediaType} ${c.status}`);
      },
    );

    it("the resource method returns the 2xx body, valid against its schema", async () => {
      const group = [...byMediaType.values()][0]!;
      const successes = [
        ...groupBy(
          group.filter((c) => c.status.startsWith("2")),
          (c) => c.status,
        ).values(),
      ].map((same) => same[0]!);
      const problems = await Promise.all(
        successes.map(async (c) => {
          const data = await callResource(c, { Prefer: `code=${c.status}` });
          const documented = deref<Response>(c.operation.responses[c.status]).content;
          return documented
            ? violations(validatorAt(schemaPointer(c, "application/json")), data).map((v) => `${c.status}: ${v}`)
            : [];
        }),
      );
      expect(successes.length).toBeGreaterThan(0);
      expect(problems.flat()).toEqual([]);
    });
  });

  // The client maps an error by its status and code alone, whatever the operation: each
  // documented (status, code) is checked once through a resource method, for a POST and
  // for the other verbs (a POST's error carries its idempotency key).
  const errorCases = [
    ...new Map(
      operations
        .flatMap(({ cases }) => [...groupBy(cases, (c) => c.mediaType).values()][0]!)
        .filter((c) => !c.status.startsWith("2") && !c.responseExample)
        .map((c) => [`${c.status} ${exampleCode(c)} ${c.verb === "POST" ? "POST" : "other"}`, c] as const),
    ).entries(),
  ];
  it.each(errorCases)("%s: the resource method throws the typed error", async (_key, c) => {
    const thrown = await callResource(c, { Prefer: `code=${c.status}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const code = exampleCode(c);
    expect(thrown).toBeInstanceOf(expectedClass(c.status, code));
    const error = thrown as KomojuApiError;
    expect(error).toMatchObject({ status: Number(c.status), ...(code && { code }) });
    expect(error.message).not.toContain("sk_test");
    if (c.verb === "POST") expect(error.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("covers every operation × request media type × documented status, and can build every request", () => {
    expect(unbuildable).toEqual([]);
    const expected = operations.flatMap(({ operation, cases }) =>
      [...new Set(cases.map((c) => c.mediaType))].flatMap((mediaType) =>
        Object.keys(operation.responses).map((status) => `${operation.operationId} ${mediaType} ${status}`),
      ),
    );
    expect(expected.filter((key) => !covered.has(key))).toEqual([]);
    expect(new Set(operations.map((o) => o.operation.operationId)).size).toBe(operations.length);
    expect(operations.length).toBeGreaterThanOrEqual(4);
  });
});
