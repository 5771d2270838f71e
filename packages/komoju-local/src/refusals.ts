// Prism's refusals in KOMOJU's error envelope (`{ error: { code, message, param } }`),
// naming the parameter and the reason, for the local KOMOJU's front and the stateless
// mock's alike: a client reads KOMOJU's own shape from either, never Prism's.
import { parseRackForm } from "./form.js";
import { coerce, requestSchema } from "./spec.js";
import { relevantViolations, type Violation } from "./violations.js";

export interface KomojuErrorBody {
  error: { code: string; message: string; param: string | null };
}

/** What a refusal is about: the request as sent, and who answered it. */
export interface RefusalContext {
  method: string;
  path: string;
  /** The request body as the simulator reads it, when it could be read. */
  body: unknown;
  /** Who serves the spec, for the messages: "local KOMOJU", "mock". */
  server: string;
  /** Whose answer broke the spec when Prism refuses an answer: "a simulator bug", "the upstream". */
  answeredBy: string;
}

const STATUS_CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  422: "unprocessable_entity",
  500: "internal_server_error",
};
// Branch bookkeeping from oneOf/if: true but never the first thing to tell a caller.
const VAGUE = new Set(["oneOf", "anyOf", "if"]);

const envelope = (code: string, message: string, param: string | null = null): KomojuErrorBody => ({
  error: { code, message, param },
});

/** `["body","payment_data","capture"]` → `payment_data[capture]`, as Rails names form fields. */
function paramName(segments: (string | number)[]): string | null {
  const [first, ...rest] = segments.map(String);
  return first === undefined ? null : first + rest.map((s) => `[${s}]`).join("");
}

/** The violation a caller should read first, as {param, reason}. */
export function firstViolation(
  violations: Violation[],
): { param: string | null; reason: string; required?: boolean } | undefined {
  const v = violations.find((x) => !VAGUE.has(String(x.code))) ?? violations[0];
  if (!v) return undefined;
  const where = (v.location ?? []).slice(1);
  const required = /must have required property '([^']+)'/.exec(v.message ?? "");
  if (required) return { param: paramName([...where, required[1]!]), reason: "is missing", required: true };
  const extra = v.code === "additionalProperties" && /found '([^']+)'/.exec(v.message ?? "");
  if (extra) return { param: paramName([...where, extra[1]!]), reason: "is not a parameter this request accepts" };
  if (v.code === "false schema") return { param: paramName(where), reason: "is not allowed here" };
  const reason = String(v.message ?? "")
    .replace(/^Request (body|path parameter|query parameter|header parameter)( property)?( \S+)? /, "")
    .replace(/^Request body /, "");
  return { param: paramName(where), reason };
}

/** A refused request (400 or 422): the first relevant violation, as missing_parameter or invalid_parameter. */
function invalidRequest(violations: Violation[]): KomojuErrorBody | undefined {
  const first = firstViolation(violations);
  if (!first) return undefined;
  if (first.required)
    return envelope("missing_parameter", `A required parameter (${first.param}) is missing`, first.param);
  const message = first.param
    ? `The parameter ${first.param} is invalid: ${first.reason}`
    : `The request is invalid: ${first.reason}`;
  return envelope("invalid_parameter", message, first.param);
}

/** KOMOJU's status and envelope for a refusal Prism answered with `status` and `problem`, listing `all` violations. */
export function komojuError(
  status: number,
  problem: { detail?: unknown; title?: unknown },
  all: Violation[],
  context: RefusalContext,
): { status: number; body: KomojuErrorBody } {
  const { method, path, body } = context;
  const violations = body === undefined ? all : relevantViolations(all, body, requestSchema(method, path));
  const invalid = (status === 422 || status === 400) && invalidRequest(violations);
  if (invalid) return { status: 422, body: invalid };
  if (status === 401) {
    const message =
      "User authorization failed: send your key as the Basic user name with an empty password (curl -u sk_test_…:).";
    return { status, body: envelope("unauthorized", message) };
  }
  if (status === 404 || status === 405) {
    const message = `No such endpoint: ${method} ${path} is not in the spec the ${context.server} serves.`;
    return { status: 404, body: envelope("not_found", message) };
  }
  const v = violations[0];
  if (status === 500 && v) {
    const message = `The ${context.server} answered with something the spec does not allow (${context.answeredBy}): ${(v.location ?? []).join(".")} ${v.message}`;
    return { status, body: envelope("internal_server_error", message) };
  }
  const message =
    typeof problem.detail === "string"
      ? problem.detail
      : typeof problem.title === "string"
        ? problem.title
        : "Refused by the spec.";
  return { status, body: envelope(STATUS_CODES[status] ?? "bad_request", message) };
}

/** The request body as the simulator reads it, to tell which oneOf branch the caller meant. */
export function readBody(raw: Buffer, contentType: string | undefined, method: string, path: string): unknown {
  try {
    const text = raw.toString("utf8");
    if (/x-www-form-urlencoded/i.test(contentType ?? ""))
      return coerce(parseRackForm(text), requestSchema(method, path));
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Prism's violations as one short note for the log. */
export function describe(violations: Violation[]): string {
  const first = firstViolation(violations);
  return first ? `${first.param ?? ""} ${first.reason}`.trim() : "";
}
