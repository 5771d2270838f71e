import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import seedCreate from "../fixtures/seed-create-session.json" with { type: "json" };

/** What the server does with one request. */
export type Fault =
  | "ok"
  | "reset"
  | "hang"
  | "trickle"
  | "429"
  | "409"
  | "500"
  | "502"
  | "503"
  | "504"
  | "400"
  | "404"
  | "422"
  | "malformed-json"
  | "html-502"
  | "truncated"
  | "huge"
  | "huge-declared";

export interface Seen {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: string;
}

const session = JSON.stringify(seedCreate);
// KOMOJU's code for each error status the server answers.
const CODE_BY_STATUS: Record<number, string> = {
  400: "bad_request",
  404: "not_found",
  409: "conflict",
  422: "missing_parameter",
  429: "too_many_requests",
  500: "internal_server_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};
const komojuError = (code: string) => JSON.stringify({ error: { code, message: `fault: ${code}`, param: null } });

function act(fault: Fault, res: ServerResponse, options: { retryAfter?: string }): void {
  const json = (status: number, body: string, headers: Record<string, string> = {}): void =>
    void res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);
  switch (fault) {
    case "ok":
      json(200, session);
      return;
    case "reset":
      return void res.socket?.destroy();
    case "hang":
      return;
    case "trickle": {
      // Headers at once, then one byte every 50 ms: alive, but never done in time.
      res.writeHead(200, { "content-type": "application/json" });
      let i = 0;
      const timer = setInterval(() => {
        if (i < session.length) {
          res.write(session[i++]);
        } else {
          clearInterval(timer);
          res.end();
        }
      }, 50);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "429":
    case "409":
    case "500":
    case "502":
    case "503":
    case "504":
    case "400":
    case "404":
    case "422": {
      const status = Number(fault);
      const retryAfter: Record<string, string> =
        options.retryAfter !== undefined && (status === 429 || status === 503)
          ? { "retry-after": options.retryAfter }
          : {};
      json(status, komojuError(CODE_BY_STATUS[status]!), retryAfter);
      return;
    }
    case "malformed-json":
      json(200, '{"id": "e9x5mvx3jkpkofzcg7umfael6", "resource": ');
      return;
    case "html-502":
      return void res
        .writeHead(502, { "content-type": "text/html" })
        .end(`<html><body><h1>502 Bad Gateway</h1>${"<p>nginx</p>".repeat(100)}</body></html>`);
    case "truncated":
      res.writeHead(200, { "content-type": "application/json", "content-length": String(session.length) });
      res.write(session.slice(0, 100));
      return void setTimeout(() => res.socket?.destroy(), 10);
    case "huge": {
      // Chunked, no Content-Length: the client only finds out while reading.
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = "x".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => undefined);
      pump();
      return;
    }
    case "huge-declared":
      return void res
        .writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) })
        .end();
  }
}

/**
 * A loopback HTTP server under the test's control: `plan` says how to answer the next
 * requests, one fault per request (the last one repeats), and `seen` records every
 * request as it arrived.
 */
export async function startFaultServer() {
  let planned: Fault[] = ["ok"];
  let options: { retryAfter?: string } = {};
  const seen: Seen[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        idempotencyKey: req.headers["x-komoju-idempotency"] as string | undefined,
        authorization: req.headers.authorization,
        body,
      });
      const fault = planned.length > 1 ? planned.shift()! : planned[0]!;
      act(fault, res, options);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    plan(faults: Fault[], planOptions: { retryAfter?: string } = {}) {
      planned = [...faults];
      options = planOptions;
      seen.length = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
