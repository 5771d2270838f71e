import { execFile } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import seedShow from "../test/fixtures/seed-show-session.json" with { type: "json" };
import { formViolations } from "./support/form-check.js";
import { isMock, target, violationsOf } from "./support/target.js";

const run = promisify(execFile);
const seedNodeSample = createRequire(import.meta.url)("./fixtures/seed-node-sample.cjs") as () => {
  post_options: { path: string; method: string; headers: Record<string, string | number> };
  post_data: string;
};

// The seed's cURL Create sample, argument for argument; only the host differs.
const curlCreateArgs = (base: string) => [
  "-X",
  "POST",
  `${base}/api/v1/sessions`,
  "-u",
  "sk_123456:",
  "-d",
  "default_locale=ja",
  "-d",
  "email=test@example.com",
  "-d",
  "metadata[test]=value",
  "-d",
  "amount=8888",
  "-d",
  "currency=JPY",
  "-d",
  "payment_data[external_order_num]=my_custom_order",
  "-d",
  "payment_data[name]=John",
  "-d",
  "payment_data[name_kana]=ジョン",
  "-d",
  "payment_types[]=credit_card",
  "-d",
  "payment_types[]=konbini",
  "-d",
  "return_url=https://example.com",
];

/** Runs curl and splits its `-D -` output into status, headers and body. */
async function curl(args: string[]) {
  const { stdout } = await run("curl", ["-sS", "-D", "-", ...args], { encoding: "utf8" });
  const [head, ...rest] = stdout.split("\r\n\r\n");
  const [statusLine, ...headerLines] = head!.split("\r\n");
  const headers = new Headers(headerLines.map((line) => line.split(/:\s*/, 2) as [string, string]));
  return { status: Number(statusLine!.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/** A loopback server that records one request's body, to see exactly what a sample sends. */
async function captureOneRequest(send: (base: string) => Promise<unknown>) {
  let captured: { headers: Record<string, unknown>; body: string } | undefined;
  const server = createServer((req, res) => {
    let body = "";
    req
      .setEncoding("utf8")
      .on("data", (chunk: string) => (body += chunk))
      .on("end", () => {
        captured = { headers: req.headers, body };
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
  return captured!;
}

describe("the seed's samples, replayed", () => {
  it("cURL Create: accepted, and the exact bytes curl sends are a valid SessionCreateRequest", async () => {
    const response = await curl(curlCreateArgs(target.baseUrl));
    expect(response.status).toBe(200);
    expect(violationsOf(response.headers)).toEqual([]);
    expect(JSON.parse(response.body)).toMatchObject({ resource: "session", status: "pending" });

    // curl -d sends each value raw (no percent-encoding) joined with '&'; Rack, and qs,
    // read the brackets and the UTF-8 katakana as they are.
    const wire = await captureOneRequest((base) => curl(curlCreateArgs(base)));
    expect(wire.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const { parsed, violations } = formViolations(wire.body, "SessionCreateRequest");
    expect(violations).toEqual([]);
    expect(parsed).toMatchObject({
      payment_types: ["credit_card", "konbini"],
      metadata: { test: "value" },
      payment_data: { name_kana: "ジョン" },
    });
  });

  // The default Show example is the complete 2025-01-28 payload; the seed's own, older
  // payload is the named example "seed".
  it.runIf(isMock)("cURL Show: answers the seed's own Show example when asked for it", async () => {
    const response = await curl([
      "-X",
      "GET",
      `${target.baseUrl}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv`,
      "-u",
      "sk_123456:",
      "-H",
      "Prefer: example=seed",
    ]);
    expect(response.status).toBe(200);
    expect(violationsOf(response.headers)).toEqual([]);
    expect(JSON.parse(response.body)).toEqual(seedShow);
  });

  it("Node.js Create: the duplicated 'payment_types[]' key loses credit_card, and the missing Content-Type gets the body refused", async () => {
    const { post_options, post_data } = seedNodeSample();
    // The object literal names 'payment_types[]' twice; JavaScript keeps the last
    // value, so the sample offers konbini only, not the credit_card it meant to.
    expect(new URLSearchParams(post_data).getAll("payment_types[]")).toEqual(["konbini"]);
    const { parsed, violations } = formViolations(post_data, "SessionCreateRequest");
    expect(violations).toEqual([]);
    // A form carries digits; with digit strings now a valid Amount, the checker keeps them as sent.
    expect(parsed).toMatchObject({ payment_types: ["konbini"], amount: "8888" });

    // The sample sets no Content-Type. Rack would still read a POST body without one
    // as a form, but the spec declares JSON and form only, so the mock refuses it.
    const send = (headers: Record<string, string | number>) =>
      new Promise<{ status: number; headers: Headers }>((resolve, reject) => {
        const url = new URL(target.baseUrl);
        const req = httpRequest({ ...post_options, host: url.hostname, port: url.port, headers }, (res) => {
          res
            .resume()
            .on("end", () =>
              resolve({ status: res.statusCode!, headers: new Headers(res.headers as Record<string, string>) }),
            );
        });
        req.on("error", reject).end(post_data);
      });
    const asWritten = await send(post_options.headers);
    expect(asWritten.status).toBe(422);
    expect(violationsOf(asWritten.headers).map((v) => v.message)).toContain("Request body must be object");

    const withContentType = await send({
      ...post_options.headers,
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(withContentType.status).toBe(200);
    expect(violationsOf(withContentType.headers)).toEqual([]);
  });

  it('Ruby Create: the JSON body, string amount "8888" included, is accepted as KOMOJU accepts it', async () => {
    const body = {
      default_locale: "ja",
      email: "test@example.com",
      metadata: { test: "value" },
      amount: "8888",
      currency: "JPY",
      payment_data: { external_order_num: "my_custom_order", name: "John", name_kana: "ジョン" },
      payment_types: ["credit_card", "konbini"],
      return_url: "https://example.com",
    };
    // Ruby's Base64.encode64 ends the credentials with "\n", which no HTTP client may
    // send in a header; the sample's Authorization is used without it.
    const authorization = `Basic ${Buffer.from("sk_123456:").toString("base64")}`;
    const response = await fetch(`${target.baseUrl}/api/v1/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(violationsOf(response.headers)).toEqual([]);

    const decimal = await fetch(`${target.baseUrl}/api/v1/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: authorization },
      body: JSON.stringify({ ...body, amount: "88.88" }),
    });
    expect(decimal.status).toBe(422);
  });
});
