// A loopback HTTP server through which the local-komoju test files, in vitest's workers,
// start and stop local KOMOJU instances and bare Prisms in the process that holds it
// (vitest's main process). There they share one reading of the spec and Prism's compiled
// validators with the contract setup's servers, instead of each worker loading Prism and
// compiling them again.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** What a test may ask of a local KOMOJU: plain JSON, each checked before it reaches the simulator. */
const OPTIONS: Record<string, (value: unknown) => boolean> = {
  webhookUrls: (value) => Array.isArray(value) && value.every((url) => typeof url === "string"),
  webhookSecret: (value) => typeof value === "string",
  maxSessions: (value) => Number.isInteger(value) && (value as number) > 0,
  retryDelaysMs: (value) => Array.isArray(value) && value.every((ms) => Number.isInteger(ms) && ms >= 0),
};

interface Instance {
  stop(): Promise<void>;
  /** The local KOMOJU's log, one line each; none for a bare Prism. */
  lines?: string[];
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req.setEncoding("utf8")) text += chunk;
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(400, `the body is not JSON: ${text.slice(0, 100)}`);
  }
}

function checkedOptions(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new Refusal(400, "the options must be a JSON object");
  for (const [key, value] of Object.entries(body)) {
    const valid = OPTIONS[key];
    if (!valid) throw new Refusal(400, `unknown option ${key} (known: ${Object.keys(OPTIONS).join(", ")})`);
    if (!valid(value)) throw new Refusal(400, `invalid ${key}: ${JSON.stringify(value)}`);
  }
  return body as Record<string, unknown>;
}

export interface ControlServer {
  url: string;
  /** Stops every instance still running, then the control server itself. */
  close(): Promise<void>;
}

export async function startControlServer(): Promise<ControlServer> {
  const instances = new Map<string, Instance>();
  const starting = new Set<Promise<unknown>>();
  let lastId = 0;
  let closing = false;

  /** Registers what `start` starts, unless the run ends meanwhile: then it is stopped at once. */
  async function register(start: () => Promise<Instance & { url: string }>) {
    if (closing) throw new Refusal(503, "the run is ending");
    const registered = start().then(async (instance) => {
      if (closing) {
        await instance.stop();
        throw new Refusal(503, "the run is ending");
      }
      const id = String(++lastId);
      instances.set(id, instance);
      return { id, url: instance.url };
    });
    starting.add(registered);
    try {
      return await registered;
    } finally {
      starting.delete(registered);
    }
  }

  function find(id: string): Instance {
    const instance = instances.get(id);
    if (!instance) throw new Refusal(404, `no running instance ${id}`);
    return instance;
  }

  async function answer(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const route = `${req.method} ${new URL(req.url ?? "/", "http://control").pathname}`;
    if (route === "POST /local-komoju") {
      const options = checkedOptions(await readJson(req));
      const lines: string[] = [];
      // Prism's code loads with the first instance: a run without local KOMOJU tests never pays for it.
      const { startLocalKomoju } = await import("../../../local-komoju/index.mjs");
      const started = await register(async () => ({
        ...(await startLocalKomoju({ ...options, port: 0, log: (line) => lines.push(line) })),
        lines,
      }));
      return { status: 201, body: JSON.stringify(started) };
    }
    if (route === "POST /prism") {
      const { startPrism } = await import("../../../local-komoju/prism.mjs");
      return { status: 201, body: JSON.stringify(await register(() => startPrism())) };
    }
    const [, method, id, rest] = /^(GET|DELETE) \/instances\/([^/]+)(\/output)?$/.exec(route) ?? [];
    if (method === "GET" && rest && id) {
      const { lines } = find(id);
      if (!lines) throw new Refusal(404, `instance ${id} is a bare Prism, which keeps no log`);
      return { status: 200, body: lines.map((line) => `${line}\n`).join("") };
    }
    if (method === "DELETE" && !rest && id) {
      // Forgotten only once stopped: one whose stop fails or hangs is still the teardown's to stop.
      await find(id).stop();
      instances.delete(id);
      return { status: 204, body: "" };
    }
    throw new Refusal(
      404,
      `no such route: ${route} (POST /local-komoju, POST /prism, GET /instances/{id}/output, DELETE /instances/{id})`,
    );
  }

  const server = createServer((req, res) => {
    answer(req)
      .catch((error: unknown) =>
        error instanceof Refusal
          ? { status: error.status, body: error.message }
          : { status: 500, body: `could not start or stop it: ${String((error as Error)?.stack ?? error)}` },
      )
      .then(({ status, body }) => res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      closing = true;
      await Promise.allSettled(starting);
      const running = [...instances.values()];
      instances.clear();
      await Promise.allSettled(running.map((instance) => instance.stop()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
