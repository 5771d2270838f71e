import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import seedShow from "../../test/fixtures/seed-show-session.json" with { type: "json" };

/**
 * A stand-in for KOMOJU that breaks the spec on purpose, one way per session id, so
 * the proxy path (`KOMOJU_CONTRACT_UPSTREAM`) is proven to catch drift before anyone
 * points it at the real API. Each drift carries the part of Prism's report that names it.
 */
export const drifts: Record<string, { status: number; type: string; body: string; expected: RegExp }> = {
  wrongconst: {
    status: 200,
    type: "application/json",
    body: JSON.stringify({ ...seedShow, resource: "sesion" }),
    expected: /resource must be equal to constant/,
  },
  unknownstatus: {
    status: 200,
    type: "application/json",
    body: JSON.stringify({ ...seedShow, status: "expired" }),
    expected: /status must be equal to one of the allowed values/,
  },
  missingfield: {
    status: 200,
    type: "application/json",
    body: JSON.stringify({ ...seedShow, created_at: undefined }),
    expected: /must have required property 'created_at'/,
  },
  wrongtype: {
    status: 200,
    type: "application/json",
    body: JSON.stringify({ ...seedShow, cancelled_at: 123 }),
    expected: /cancelled_at must be string,null/,
  },
  wrongmediatype: {
    status: 200,
    type: "text/html",
    body: "<html>maintenance</html>",
    expected: /media type \W+text\/html\W+ does not match/,
  },
  undocumentedstatus: {
    status: 418,
    type: "application/json",
    body: JSON.stringify({ error: { code: "teapot", message: "no" } }),
    expected: /Unable to match the returned status code with those defined in the document/,
  },
  noenvelope: {
    status: 404,
    type: "application/json",
    body: JSON.stringify({ message: "nope" }),
    expected: /must have required property 'error'/,
  },
};

/** Answers drifts by id, a conforming session for any other id, and its request log at /__requests. */
export async function startDriftingUpstream() {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === "/__requests")
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(requests));
    requests.push(`${req.method} ${req.url}`);
    const id = req.url!.split("/").pop()!;
    const drift = drifts[id];
    if (drift) return res.writeHead(drift.status, { "content-type": drift.type }).end(drift.body);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...seedShow, id }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
