// What hooks and the debug log see of each attempt.
import type { KomojuHooks, RequestEvent, ResponseEvent } from "./options.js";

/** The one list of header names whose values hooks and logs never see. */
const SECRET_HEADERS = /auth|cookie|token|secret|password|api-?key|session/i;

function redact(headers: Record<string, string>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in headers) copy[name] = SECRET_HEADERS.test(name) ? "[REDACTED]" : headers[name]!;
  return copy;
}

function safely<E>(hook: ((event: E) => unknown) | undefined, event: E): void {
  // A logging hook must never turn a completed payment call into a failure, nor an
  // async one into an unhandled rejection.
  try {
    (hook?.(event) as Promise<unknown> | undefined)?.then?.(undefined, () => undefined);
  } catch {
    // Ignored, as documented.
  }
}

function logLine(e: ResponseEvent): void {
  const outcome = e.error ? `${e.error.name} ${e.error.code}` : e.status;
  const retry = e.retryDelayMs === undefined ? "" : `, retry in ${Math.round(e.retryDelayMs)} ms`;
  console.debug(
    `komoju-ts ${e.method} ${e.url} attempt ${e.attempt}: ${outcome} in ${Math.round(e.durationMs)} ms${retry} ${JSON.stringify(e.headers)}`,
  );
}

interface Observer {
  /** A call's headers as hooks and logs see them. */
  redact(headers: Record<string, string>): Record<string, string>;
  /** Before an attempt: the event its response will extend. */
  request(event: RequestEvent): RequestEvent & { started: number };
  /** After an attempt, with how it ended. */
  response(
    event: RequestEvent & { started: number },
    outcome: Omit<ResponseEvent, keyof RequestEvent | "durationMs">,
  ): void;
}

/**
 * The observer of a client that hooks or logs, or undefined: events cost time to
 * build, so a client that does neither builds none.
 */
export function createObserver(
  { onRequest, onResponse }: KomojuHooks,
  logLevel: "debug" | "off",
): Observer | undefined {
  const log = logLevel === "debug" ? logLine : undefined;
  if (!onRequest && !onResponse && !log) return undefined;
  return {
    redact,
    request(event) {
      safely(onRequest, event);
      return { ...event, started: performance.now() };
    },
    response({ started, ...event }, outcome) {
      const done = { ...event, ...outcome, durationMs: performance.now() - started };
      safely(onResponse, done);
      safely(log, done);
    },
  };
}
