import { expect, it } from "vitest";
import { call, host, startLocalKomoju } from "./support.js";

const send = async (method: string, path: string, body?: string) => {
  const response = await fetch(new URL(path, host.controlUrl), {
    method,
    body,
    headers: body === undefined ? {} : { "content-type": "application/json" },
  });
  return { status: response.status, text: await response.text() };
};

// The control server lives in vitest's main process: a bad request must be refused, not
// crash the runner or leave it unable to start the next instance.
it("refuses bad input with a 4xx that says what is wrong, and keeps serving", async () => {
  expect(await send("POST", "/local-komoju", "{maxSessions:")).toMatchObject({
    status: 400,
    text: expect.stringContaining("not JSON"),
  });
  expect(await send("POST", "/local-komoju", "[1]")).toMatchObject({
    status: 400,
    text: expect.stringContaining("JSON object"),
  });
  expect(await send("POST", "/local-komoju", '{"port":4010}')).toMatchObject({
    status: 400,
    text: expect.stringContaining("unknown option port"),
  });
  expect(await send("POST", "/local-komoju", '{"maxSessions":"5"}')).toMatchObject({
    status: 400,
    text: expect.stringContaining("invalid maxSessions"),
  });
  expect(await send("GET", "/instances/nobody/output")).toMatchObject({
    status: 404,
    text: expect.stringContaining("no running instance nobody"),
  });
  expect(await send("DELETE", "/instances/nobody")).toMatchObject({
    status: 404,
    text: expect.stringContaining("no running instance nobody"),
  });
  expect(await send("PUT", "/local-komoju")).toMatchObject({
    status: 404,
    text: expect.stringContaining("no such route"),
  });
  await expect(startLocalKomoju({ webhookUrls: ["http://127.0.0.1:9/hooks"] })).rejects.toThrow(
    /KOMOJU_WEBHOOK_SECRET must be set/,
  );

  const komoju = await startLocalKomoju();
  try {
    expect((await call(komoju.url, "GET", "/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv")).status).toBe(200);
  } finally {
    await komoju.stop();
  }
  await expect(komoju.stop()).rejects.toThrow(/\(404\): no running instance/);
});
