// Heap after 1k and after 100k calls (or the count given after the contender's name)
// of one contender, in a fresh process started by run.mjs with --expose-gc; prints
// JSON. The calls go to an in-process fetch answering the seed JSON, so 100k fit the
// time budget and what grows is the caller's memory.
//
//   komoju-ts: sessions.retrieve with that fetch injected.
//   bare Request + AbortSignal: what any fetch call with a timeout does on Node 20, and
//     what the client does once per attempt, without the client: a Request carrying an
//     AbortController's signal, a timer, the same Response read and parsed.
import { readFileSync } from "node:fs";
import { createKomojuClient } from "komoju-ts";

const body = readFileSync(new URL("../test/fixtures/seed-create-session.json", import.meta.url));
const respond = async () =>
  new Response(body, { headers: { "content-type": "application/json", "content-length": String(body.length) } });
const url = "http://127.0.0.1/api/v1/sessions/e9x5mvx3jkpkofzcg7umfael6";

const contenders = {
  "komoju-ts": () => {
    const komoju = createKomojuClient({ secretKey: "sk_test_bench", fetch: respond });
    return () => komoju.sessions.retrieve("e9x5mvx3jkpkofzcg7umfael6");
  },
  "bare Request + AbortSignal": () => async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      const response = await respond(
        new Request(url, { headers: { authorization: "Basic x" }, signal: controller.signal }),
      );
      return JSON.parse(await response.text());
    } finally {
      clearTimeout(timer);
    }
  },
};

const call = contenders[process.argv[2]]();
// FinalizationRegistry callbacks (undici frees a Request's abort wiring from one) run
// after GC, in a later task: collect, let them run, and collect again.
const heap = async () => {
  for (let i = 0; i < 5; i++) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const run = async (n) => {
  let left = n;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (left-- > 0) await call();
    }),
  );
};
await run(1_000);
const after1k = await heap();
const calls = Number(process.argv[3] ?? 100_000);
await run(calls - 1_000);
console.log(JSON.stringify({ calls, heapAfter1kMiB: after1k, heapAfterAllMiB: await heap() }));
