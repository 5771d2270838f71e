import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A whole HTTP/1.1 response as raw bytes, so a test can send what no well-behaved server would. */
export function raw(status: number | string, headers: Record<string, string>, body: string | Buffer = ""): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const head = Object.entries({ "content-length": String(bytes.length), ...headers, connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${status} X\r\n${head}\r\n`), bytes]);
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  raw(
    status,
    { "content-type": "application/json", ...headers },
    typeof body === "string" ? body : JSON.stringify(body),
  );

/**
 * A loopback server on port 0 that answers each request with the raw bytes `answer`
 * returns ("hang" answers nothing), and records every request it received.
 */
export async function startLoopback(
  answer: (request: Received, index: number) => Buffer | "hang" = () => json(200, { id: "x" }),
) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const request = { method: req.method!, path: req.url!, headers: req.headers, body };
      received.push(request);
      const bytes = answer(request, received.length - 1);
      if (bytes !== "hang") res.socket?.end(bytes);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    set answer(next: typeof answer) {
      answer = next;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
