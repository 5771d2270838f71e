// npm run bench:local: what the local KOMOJU costs per request (its front, Prism's
// validating proxy and the simulator) against Prism's static mock alone, and whether
// retrieve stays flat with 10,000 sessions held. Sequential requests over keep-alive,
// contenders interleaved in many short rounds so machine noise hits all alike; median
// and p99. The static mock runs as `npm run mock` runs it (behind its front, which
// logs every request); Prism alone, quiet, is shown beside it for comparison.
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const PER_ROUND = Number(process.env.BENCH_REQUESTS ?? 15);
const HELD = 10_000;
const auth = { authorization: `Basic ${btoa("sk_test_bench:")}` };
const SEED_ID = "1kv31jmdp5zweqlr2l2odr8wv";

async function time(request) {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`bench request failed: ${response.status}`);
  return performance.now() - started;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p99: at(0.99), n: sorted.length };
}

async function measure(contenders) {
  const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (const request of Object.values(contenders)) for (let i = 0; i < 50; i++) await time(request); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, request] of Object.entries(contenders)) {
      for (let i = 0; i < PER_ROUND; i++) samples[name].push(await time(request));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, stats(list)]));
}

console.error(`${ROUNDS} rounds of ${PER_ROUND} requests per contender (BENCH_ROUNDS, BENCH_REQUESTS)…`);
const SERVER = fileURLToPath(new URL("./local-komoju-server.mjs", import.meta.url));

/** Starts one contender in its own process; `ask` sends a line and resolves with its JSON answer. */
async function contender(kind) {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER, kind], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  const { url } = await next();
  const ask = (line) => {
    child.stdin.write(`${line}\n`);
    return next();
  };
  return { url, ask, stop: () => child.stdin.end() };
}

const [mock, quietMock, local] = await Promise.all([contender("mock"), contender("quiet-mock"), contender("local")]);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(", ");
console.log(`load average before: ${load()}`);
try {
  const create = () =>
    fetch(`${local.url}/api/v1/sessions`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ amount: 1000, currency: "JPY", return_url: "https://e.example/r" }),
    });
  const { id } = await (await create()).json();

  const requests = await measure({
    "Prism static mock, GET session": () => fetch(`${mock.url}/api/v1/sessions/${SEED_ID}`, { headers: auth }),
    "Prism static mock (quiet), GET session": () =>
      fetch(`${quietMock.url}/api/v1/sessions/${SEED_ID}`, { headers: auth }),
    "local KOMOJU, GET session": () => fetch(`${local.url}/api/v1/sessions/${id}`, { headers: auth }),
    "Prism static mock, POST session": () =>
      fetch(`${mock.url}/api/v1/sessions`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ amount: 1000, currency: "JPY", return_url: "https://e.example/r" }),
      }),
    "local KOMOJU, POST session": create,
  });

  // Fill to 10,000 sessions inside the local KOMOJU's process (the store is what is
  // measured, and 10,000 creates through Prism would take minutes), then time retrieve of the oldest and newest,
  // interleaved with the static mock again: each phase is read against the mock measured
  // beside it, so a change in the machine's load between phases cancels out.
  const { last } = await local.ask(`fill ${HELD}`);
  const after = await measure({
    [`Prism static mock, GET, ${HELD} held`]: () => fetch(`${mock.url}/api/v1/sessions/${SEED_ID}`, { headers: auth }),
    [`retrieve oldest, ${HELD} held`]: () => fetch(`${local.url}/api/v1/sessions/${id}`, { headers: auth }),
    [`retrieve newest, ${HELD} held`]: () => fetch(`${local.url}/api/v1/sessions/${last}`, { headers: auth }),
  });

  const rows = { ...requests, ...after };
  const ms = (value) => value.toFixed(2).padStart(8);
  console.log(`load average after: ${load()}`);
  console.log(`\n${"".padEnd(38)}  median ms    p99 ms      n`);
  for (const [name, s] of Object.entries(rows))
    console.log(`${name.padEnd(38)}  ${ms(s.median)}  ${ms(s.p99)}  ${String(s.n).padStart(5)}`);
  const ratio = (a, b) => rows[a].median / rows[b].median;
  console.log(
    `\nmedian, local KOMOJU / static mock: GET ${ratio("local KOMOJU, GET session", "Prism static mock, GET session").toFixed(2)}×, POST ${ratio("local KOMOJU, POST session", "Prism static mock, POST session").toFixed(2)}×; GET / quiet static mock ${ratio("local KOMOJU, GET session", "Prism static mock (quiet), GET session").toFixed(2)}×`,
  );
  const few = ratio("local KOMOJU, GET session", "Prism static mock, GET session");
  const held = (which) =>
    (ratio(`retrieve ${which}, ${HELD} held`, `Prism static mock, GET, ${HELD} held`) / few).toFixed(2);
  console.log(
    `retrieve with ${HELD} held / with few (each against the mock beside it): ${held("oldest")}× (oldest), ${held("newest")}× (newest)`,
  );
} finally {
  for (const server of [local, mock, quietMock]) server.stop();
}
