// `komoju-local proxy`: Prism's validating proxy in front of a KOMOJU (a test account), behind
// the same front as the mock's. Every request and every answer is checked against the spec;
// each violation is reported once, as a line, and kept for a summary, so a shop's CI can fail
// on the day KOMOJU's answers and the spec part ways.
import { type RunningMock, startMock } from "./mock.js";
import type { Violation } from "./violations.js";

/** One finding of Prism's: which exchange, and what in it breaks the spec. */
export interface SpecViolation {
  method: string;
  path: string;
  /** The status Prism answered with: 422 for a refused request, 500 for an answer that breaks the spec, else the upstream's. */
  status: number;
  /** `request` or `response`, and where in it: `response.body.status`. */
  location: string;
  message: string;
  severity: string;
}

export interface ProxyOptions {
  /** The KOMOJU to forward to, e.g. https://komoju.com. */
  upstream: string;
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  /** One line per request. */
  log?: (line: string) => void;
  /** Called once for each violation as it is found. */
  onViolation?: (violation: SpecViolation) => void;
}

export interface RunningProxy extends RunningMock {
  /** Every violation found so far, oldest first. */
  readonly violations: SpecViolation[];
}

/** Prism names the request's parts from `body`/`query` (proxy) or `request`/`response` (headers); this names the side. */
function locationOf(violation: Violation, status: number): string {
  const parts = (violation.location ?? []).map(String);
  const side = parts[0] === "request" || parts[0] === "response" ? [] : [status === 422 ? "request" : "response"];
  return [...side, ...parts].join(".");
}

/** A busy port rejects with Node's error, its `code` (EADDRINUSE) intact. */
export async function startProxy({
  upstream,
  onViolation = () => {},
  ...options
}: ProxyOptions): Promise<RunningProxy> {
  const violations: SpecViolation[] = [];
  const running = await startMock({
    ...options,
    upstream,
    onViolations: ({ method, path, status }, found) => {
      // Prism lists a finding once per oneOf branch it tried: each is reported once per exchange.
      const seen = new Set<string>();
      for (const violation of found) {
        const key = `${JSON.stringify(violation.location)} ${violation.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const entry: SpecViolation = {
          method,
          path,
          status,
          location: locationOf(violation, status),
          message: violation.message ?? String(violation.code ?? "violation"),
          severity: violation.severity ?? "Error",
        };
        violations.push(entry);
        onViolation(entry);
      }
    },
  });
  return { ...running, violations };
}
