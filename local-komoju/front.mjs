// The local KOMOJU's public port. API calls go through Prism's validating proxy to the
// simulator; Prism's own refusals (RFC 7807 problem+json) are rewritten into KOMOJU's
// error envelope naming the parameter and the reason. Pages and /_local/ are served
// directly. One log line per request.
import { Agent, createServer, request } from "node:http";
import { simulates } from "./api.mjs";
import { parseRackForm } from "./form.mjs";
import { handlePage } from "./pages.mjs";
import { coerce, hasOperation, requestSchema } from "./spec.mjs";
import { relevantViolations } from "./violations.mjs";

const STATUS_CODES = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  422: "unprocessable_entity",
  500: "internal_server_error",
};
// Branch bookkeeping from oneOf/if: true but never the first thing to tell a caller.
const VAGUE = new Set(["oneOf", "anyOf", "if"]);
const MAX_BODY = 1 << 20;

/** `["body","payment_data","capture"]` → `payment_data[capture]`, as Rails names form fields. */
function paramName(segments) {
  const [first, ...rest] = segments.map(String);
  return first === undefined ? null : first + rest.map((s) => `[${s}]`).join("");
}

/** The violation a caller should read first, as {param, reason}. */
export function firstViolation(violations) {
  const v = violations.find((x) => !VAGUE.has(String(x.code))) ?? violations[0];
  if (!v) return undefined;
  const where = (v.location ?? []).slice(1);
  const required = /must have required property '([^']+)'/.exec(v.message ?? "");
  if (required) return { param: paramName([...where, required[1]]), reason: "is missing", required: true };
  const extra = v.code === "additionalProperties" && /found '([^']+)'/.exec(v.message ?? "");
  if (extra) return { param: paramName([...where, extra[1]]), reason: "is not a parameter this request accepts" };
  if (v.code === "false schema") return { param: paramName(where), reason: "is not allowed here" };
  const reason = String(v.message ?? "")
    .replace(/^Request (body|path parameter|query parameter|header parameter)( property)?( \S+)? /, "")
    .replace(/^Request body /, "");
  return { param: paramName(where), reason };
}

/** KOMOJU's envelope for one of Prism's problem+json answers. */
export function komojuError(status, problem, method, path, body) {
  const all = Array.isArray(problem.validation) ? problem.validation : [];
  const validation = body === undefined ? all : relevantViolations(all, body, requestSchema(path, method));
  if (status === 422 || status === 400) {
    const first = firstViolation(validation);
    if (first?.required)
      return {
        status: 422,
        body: {
          error: {
            code: "missing_parameter",
            message: `A required parameter (${first.param}) is missing`,
            param: first.param,
          },
        },
      };
    if (first)
      return {
        status: 422,
        body: {
          error: {
            code: "invalid_parameter",
            message: first.param
              ? `The parameter ${first.param} is invalid: ${first.reason}`
              : `The request is invalid: ${first.reason}`,
            param: first.param,
          },
        },
      };
  }
  if (status === 401)
    return {
      status,
      body: {
        error: {
          code: "unauthorized",
          message:
            "User authorization failed: send your key as the Basic user name with an empty password (curl -u sk_test_…:).",
          param: null,
        },
      },
    };
  if (status === 404 || status === 405)
    return {
      status: 404,
      body: {
        error: {
          code: "not_found",
          message: `No such endpoint: ${method} ${path} is not in the spec the local KOMOJU serves.`,
          param: null,
        },
      },
    };
  if (status === 500 && validation.length > 0) {
    const v = validation[0];
    return {
      status,
      body: {
        error: {
          code: "internal_server_error",
          message: `The local KOMOJU answered with something the spec does not allow (a simulator bug): ${(v.location ?? []).join(".")} ${v.message}`,
          param: null,
        },
      },
    };
  }
  return {
    status,
    body: {
      error: {
        code: STATUS_CODES[status] ?? "bad_request",
        message: problem.detail ?? problem.title ?? "Refused by the spec.",
        param: null,
      },
    },
  };
}

/**
 * @param {{ prismUrl: Promise<string>, komoju: import("./state.mjs").LocalKomoju, log: (line: string) => void }} options
 */
export function createFront({ prismUrl, komoju, log }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server = createServer(async (req, res) => {
    const started = performance.now();
    const path = (req.url ?? "/").split("?")[0];
    let note = "";
    res.once("finish", () =>
      log(
        `${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)} ms${note ? `  ${note}` : ""}`,
      ),
    );
    if (!path.startsWith("/api/")) {
      try {
        if (await handlePage(req, res, komoju)) return;
      } catch (error) {
        note = error.message;
        return void res.writeHead(500, { "content-type": "text/plain" }).end(`Local KOMOJU failed: ${error.message}\n`);
      }
      return void res
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end(
          "Local KOMOJU: the API is under /api/v1/, checkout pages under /sessions/{id}, local controls under /_local/.\n",
        );
    }
    // The port is held from the start; API calls made before Prism is up wait for it.
    if (!simulates(req.method, path)) {
      const message = hasOperation(path, req.method ?? "")
        ? `The local KOMOJU does not simulate ${req.method} ${path} yet (npm run mock answers it with the spec's examples).`
        : `No such endpoint: ${req.method} ${path} is not in the spec the local KOMOJU serves.`;
      note = message;
      return void res
        .writeHead(404, { "content-type": "application/json; charset=utf-8" })
        .end(JSON.stringify({ error: { code: "not_found", message, param: null } }));
    }
    let target;
    try {
      target = new URL(req.url, await prismUrl);
    } catch {
      return void res
        .writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "bad_request", message: "Unreadable request path.", param: null } }));
    }
    const chunks = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += chunk.length;
        if (size > MAX_BODY)
          return void res.writeHead(413, { "content-type": "application/json", connection: "close" }).end(
            JSON.stringify({
              error: { code: "bad_request", message: "The request body is larger than 1 MiB.", param: null },
            }),
          );
        chunks.push(chunk);
      }
    } catch (error) {
      // The client went away mid-body: nothing to answer, and nothing to bring down.
      note = `request body cut short (${error.code ?? error.message})`;
      return void res.destroy();
    }
    const raw = Buffer.concat(chunks);
    const headers = { ...req.headers, host: target.host };
    const upstream = request(target, { method: req.method, headers, agent }, (answer) => {
      const type = answer.headers["content-type"] ?? "";
      if (!type.includes("application/problem+json")) {
        const violations = answer.headers["sl-violations"];
        if (violations) note = describe(violations);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        return void answer.pipe(res);
      }
      const answered = [];
      answer.on("data", (chunk) => answered.push(chunk));
      answer.on("end", () => {
        let problem = {};
        try {
          problem = JSON.parse(Buffer.concat(answered).toString("utf8"));
        } catch {}
        const { status, body } = komojuError(
          answer.statusCode ?? 500,
          problem,
          req.method,
          path,
          readBody(raw, req.headers["content-type"], path, req.method),
        );
        note = body.error.message;
        const text = JSON.stringify(body);
        const extra = Array.isArray(problem.validation) ? { "sl-violations": JSON.stringify(problem.validation) } : {};
        res
          .writeHead(status, {
            "content-type": "application/json; charset=utf-8",
            "content-length": Buffer.byteLength(text),
            ...extra,
          })
          .end(text);
      });
    });
    upstream.on("error", (error) => {
      note = `Prism unreachable: ${error.code ?? error.message}`;
      if (!res.headersSent)
        res.writeHead(502, { "content-type": "application/json" }).end(
          JSON.stringify({
            error: {
              code: "bad_gateway",
              message: "The local KOMOJU's validator (Prism) is not answering.",
              param: null,
            },
          }),
        );
    });
    upstream.end(raw);
  });
  server.on("close", () => agent.destroy());
  return server;
}

/** The request body as the simulator reads it, to tell which oneOf branch the caller meant. */
function readBody(raw, contentType, path, method) {
  try {
    const text = raw.toString("utf8");
    if (/x-www-form-urlencoded/i.test(contentType ?? ""))
      return coerce(parseRackForm(text), requestSchema(path, method));
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function describe(header) {
  try {
    const first = firstViolation(JSON.parse(header));
    return first ? `${first.param ?? ""} ${first.reason}`.trim() : "";
  } catch {
    return "";
  }
}
