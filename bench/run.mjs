// `npm run bench`: client overhead against raw fetch and peers, scaling, memory,
// bundle size, cold start and webhook verification, measured side by side on this
// machine. Prints a markdown table and writes bench/results.json.
// `npm run bench -- --baseline <ref>` (or BENCH_BASELINE=<ref>) also builds the client
// at that git ref (bench/baseline.mjs) and measures it beside the current one, as one
// more contender in the per-request, in-flight, bundle size, cold start and webhook tables.
import { execFile, execFileSync, fork } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { signWebhookPayload, verifyWebhook } from "komoju-ts";
import { Bench } from "tinybench";
import { baselineRef, buildBaseline } from "./baseline.mjs";
import { contenders } from "./contenders.mjs";

const started = performance.now();
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 0) => Number(n.toFixed(digits));
const log = (message) => process.stderr.write(`${message}\n`);

/**
 * Runs the tasks in `rounds` rounds, rotating their order each round so that no task
 * always runs first or last (warm-up, GC, thermal drift), and keeps each task's
 * median throughput across rounds.
 */
async function interleaved(tasks, { rounds = 5, time = 400 } = {}) {
  const names = Object.keys(tasks);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({ time, warmupTime: 100 });
    for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)])
      bench.add(name, tasks[name]);
    await bench.run();
    for (const task of bench.tasks) {
      if (task.result.state === "errored") throw task.result.error;
      samples[task.name].push(task.result.throughput.mean);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

/** Requests per second with `concurrency` requests always in flight, for `ms` milliseconds. */
async function sustained(fn, concurrency, ms) {
  let done = 0;
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await fn();
        done++;
      }
    }),
  );
  return (done * 1000) / ms;
}

/**
 * Sequential requests, interleaved one by one across the contenders (rotating who goes
 * first), so that the machine's drift and hiccups hit every contender alike. Measured in
 * `rounds` rounds; each round gives every contender's median latency and its ratio to
 * raw fetch's, and the reported figures are the medians of those across rounds, with the
 * spread of the ratio. Runs of one contender after another vary far more from run to
 * run on a shared machine than these interleaved rounds.
 */
async function perRequest(tasks, { warmup = 200, rounds = 5, samples = 400 } = {}) {
  const names = Object.keys(tasks);
  const perRound = Object.fromEntries(names.map((n) => [n, { latency: [], ratio: [], cpu: 0 }]));
  for (let i = 0; i < warmup; i++) for (const name of names) await tasks[name]();
  for (let r = 0; r < rounds; r++) {
    const latency = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < samples; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length];
        const cpuBefore = process.cpuUsage();
        const before = performance.now();
        await tasks[name]();
        latency[name].push(performance.now() - before);
        const used = process.cpuUsage(cpuBefore);
        perRound[name].cpu += used.user + used.system;
      }
    }
    const raw = median(latency["raw fetch"]);
    for (const name of names) {
      const m = median(latency[name]);
      perRound[name].latency.push(m);
      perRound[name].ratio.push(m / raw);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const { latency, ratio, cpu } = perRound[name];
      const m = median(latency);
      return [
        name,
        {
          medianMicros: round(m * 1000),
          reqPerSec: round(1000 / m),
          timeVsRawFetch: round(median(ratio), 3),
          timeVsRawFetchRange: [round(Math.min(...ratio), 3), round(Math.max(...ratio), 3)],
          cpuMicrosPerReq: round(cpu / (rounds * samples)),
        },
      ];
    }),
  );
}

/**
 * Heap after 1k and after 100k calls, for the client and for the bare Request +
 * AbortSignal it makes per attempt (bench/heap.mjs), each in a fresh process with GC
 * exposed; the two run side by side, which changes their timing but not their heaps.
 */
async function heapGrowth() {
  const measure = (contender) =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ["--expose-gc", new URL("./heap.mjs", import.meta.url).pathname, contender],
        (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
      );
    });
  const names = ["komoju-ts", "bare Request + AbortSignal"];
  const measured = await Promise.all(names.map(measure));
  return Object.fromEntries(
    names.map((name, i) => {
      const { heapAfter1kMiB, heapAfterAllMiB } = measured[i];
      return [
        name,
        {
          heapAfter1kMiB: round(heapAfter1kMiB, 2),
          heapAfter100kMiB: round(heapAfterAllMiB, 2),
          growthMiB: round(heapAfterAllMiB - heapAfter1kMiB, 2),
        },
      ];
    }),
  );
}

const ref = baselineRef();
let baseline;
if (ref !== undefined) {
  log(`baseline: building the client at ${ref} …`);
  baseline = await buildBaseline(ref);
  // The temporary folder goes however this process ends: done, thrown, or Ctrl-C.
  process.on("exit", () => baseline.remove());
  process.once("SIGINT", () => process.exit(130));
  baseline.module = await import(baseline.url);
}

const server = fork(new URL("./server.mjs", import.meta.url));
const { port } = await new Promise((resolve) => server.once("message", resolve));
const baseUrl = `http://127.0.0.1:${port}`;
const clients = contenders(baseUrl, baseline);
const results = {
  machine: {},
  baseline: baseline && { ref: baseline.ref, commit: baseline.commit },
  requests: {},
  scaling: {},
  memory: {},
  bundle: {},
  coldStart: {},
  webhooks: {},
};

try {
  results.machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };

  log("requests: one in flight, interleaved request by request …");
  for (const method of ["get", "post"]) results.requests[method] = await perRequest(clients[method]);

  log("scaling: 1, 10 and 100 in flight …");
  for (const concurrency of [1, 10, 100]) {
    const names = ["raw fetch", "komoju-ts", ...(baseline ? [baseline.label] : []), "axios"];
    const samples = Object.fromEntries(names.map((name) => [name, []]));
    // Short windows in rotating order, medians kept: one long window each, always in the
    // same order, let the machine's drift decide the ratios.
    for (let r = 0; r < 5; r++) {
      for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
        samples[name].push(await sustained(clients.get[name], concurrency, 300));
      }
    }
    const raw = median(samples["raw fetch"]);
    results.scaling[concurrency] = Object.fromEntries(
      Object.entries(samples).map(([name, s]) => [
        name,
        { opsPerSec: round(median(s)), vsRawFetch: round(median(s) / raw, 3) },
      ]),
    );
  }

  log("memory: heap after 1k and after 100k requests …");
  results.memory = await heapGrowth();
} finally {
  server.kill();
}

log("bundle size …");
// Measured as size-limit measures the budgets in npm test, so the two agree: an entry that
// imports the names and logs them, bundled and minified by esbuild, gzipped at level 9,
// less what the same entry costs with nothing imported.
const bundleSize = async (specifier, names) => {
  const measure = async (contents) => {
    const out = await build({
      stdin: { contents, resolveDir: process.cwd() },
      bundle: true,
      minify: true,
      treeShaking: true,
      write: false,
      logLevel: "silent",
    });
    const code = out.outputFiles[0].contents;
    return { minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
  };
  const empty = await measure("console.log()");
  const used = await measure(
    `import ${names} from ${JSON.stringify(specifier)}\nconsole.log(${names.replace(/[{}]/g, "")})\n`,
  );
  return { minifiedBytes: used.minifiedBytes - empty.minifiedBytes, gzipBytes: used.gzipBytes - empty.gzipBytes };
};
// The built ESM entry, as a user's bundler sees it (the tsconfig "komoju-ts" path would
// point esbuild at the sources instead).
const entry = "./dist/esm/src/index.js";
results.bundle = {
  createKomojuClient: await bundleSize(entry, "{ createKomojuClient }"),
  "webhook helpers (verifyWebhook, signWebhookPayload)": await bundleSize(
    entry,
    "{ verifyWebhook, signWebhookPayload }",
  ),
  "all webhook helpers (+ createReplayGuard, isPaymentEvent)": await bundleSize(
    entry,
    "{ verifyWebhook, signWebhookPayload, createReplayGuard, isPaymentEvent }",
  ),
  "openapi-fetch alone": await bundleSize("openapi-fetch", "createClient"),
};
if (baseline)
  results.bundle[`createKomojuClient, ${baseline.label}`] = await bundleSize(baseline.entry, "{ createKomojuClient }");
// The generator is TypeScript: bench/per-operation.mjs runs under tsx, in a process of its own.
const perOperation = (...args) =>
  JSON.parse(
    execFileSync(process.execPath, [
      "--import",
      "tsx",
      fileURLToPath(new URL("./per-operation.mjs", import.meta.url)),
      ...args,
    ]).toString(),
  );
results.perOperation = { "komoju-ts": perOperation() };
if (baseline) results.perOperation[baseline.label] = perOperation(baseline.dir, baseline.generator);

log("cold start: 20 fresh processes each …");
// The baseline is imported as `komoju-ts` too, from its own folder, which holds its
// package.json and the same dist/ layout: both pay the same package resolution.
const importTime = (specifier, cwd) =>
  Number(
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`,
      ],
      { cwd },
    ).toString(),
  );
const imports = {
  "komoju-ts": () => importTime("komoju-ts"),
  ...(baseline && { [baseline.label]: () => importTime("komoju-ts", baseline.dir) }),
  "openapi-fetch": () => importTime("openapi-fetch"),
};
const coldNames = Object.keys(imports);
const cold = Object.fromEntries(coldNames.map((name) => [name, []]));
for (let i = 0; i < 20; i++)
  for (const name of [...coldNames.slice(i % coldNames.length), ...coldNames.slice(0, i % coldNames.length)])
    cold[name].push(imports[name]());
results.coldStart = Object.fromEntries(
  coldNames.map((name) => [
    name,
    {
      medianMs: round(median(cold[name]), 2),
      vsOpenapiFetch: round(median(cold[name]) / median(cold["openapi-fetch"]), 2),
    },
  ]),
);

log("webhook verification …");
const SECRET = "whsec_bench";
for (const [label, size] of [
  ["1 KB", 1024],
  ["64 KB", 64 * 1024],
  ["1 MB", 1024 * 1024],
]) {
  const skeleton = {
    id: "ev_1",
    type: "payment.captured",
    resource: "event",
    data: { id: "p_1", resource: "payment", metadata: { pad: "" } },
    // Recent, as a live delivery is: verifyWebhook refuses events older than its maxAgeMs.
    created_at: new Date().toISOString(),
    reason: null,
  };
  const pad = "x".repeat(size - JSON.stringify(skeleton).length);
  const rawBody = Buffer.from(JSON.stringify({ ...skeleton, data: { ...skeleton.data, metadata: { pad } } }));
  const signature = await signWebhookPayload(rawBody, SECRET);
  const signatureBytes = Buffer.from(signature, "hex");
  const ops = await interleaved(
    {
      "node:crypto": () => {
        const expected = createHmac("sha256", SECRET).update(rawBody).digest();
        if (!timingSafeEqual(expected, signatureBytes)) throw new Error("mismatch");
        return JSON.parse(rawBody.toString("utf8"));
      },
      "komoju-ts": () => verifyWebhook({ rawBody, signature, secret: SECRET }),
      ...(baseline && {
        [baseline.label]: () => baseline.module.verifyWebhook({ rawBody, signature, secret: SECRET }),
      }),
    },
    // A small body's verification is so short that one round's median swings widely;
    // seven rounds steady the reported median.
    { rounds: 7, time: size > 100_000 ? 400 : 300 },
  );
  results.webhooks[label] = { bytes: rawBody.length };
  for (const [name, opsPerSec] of Object.entries(ops))
    results.webhooks[label][name] = {
      opsPerSec: round(opsPerSec),
      vsNodeCrypto: round(opsPerSec / ops["node:crypto"], 3),
    };
}
results.durationSeconds = round((performance.now() - started) / 1000, 1);

writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const fmt = (n) => n.toLocaleString("en-US");
const lines = [];
lines.push(
  `Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.platform}. Bench took ${results.durationSeconds} s.`,
  "",
);
lines.push(
  "| One request at a time (loopback keep-alive server) | time vs raw fetch by hand (median of rounds; range) | median latency | req/s | client CPU per request |",
  "|---|---|---|---|---|",
);
for (const method of ["get", "post"]) {
  for (const [name, r] of Object.entries(results.requests[method])) {
    lines.push(
      `| ${method.toUpperCase()} ${name} | ${r.timeVsRawFetch.toFixed(3)}× (${r.timeVsRawFetchRange.map((x) => x.toFixed(3)).join("–")}) | ${r.medianMicros} µs | ${fmt(r.reqPerSec)} | ${r.cpuMicrosPerReq} µs |`,
    );
  }
}
const others = Object.keys(results.scaling[1]).filter((name) => name !== "raw fetch");
lines.push(
  "",
  `| GET, in flight | raw fetch req/s | ${others.map((name) => `${name} vs raw`).join(" | ")} |`,
  `|---|---|${others.map(() => "---|").join("")}`,
);
for (const [c, r] of Object.entries(results.scaling))
  lines.push(
    `| ${c} | ${fmt(r["raw fetch"].opsPerSec)} | ${others.map((name) => r[name].vsRawFetch.toFixed(3)).join(" | ")} |`,
  );
lines.push("", "| Heap after forced GC | after 1k calls | after 100k | growth |", "|---|---|---|---|");
for (const [name, m] of Object.entries(results.memory))
  lines.push(`| ${name} | ${m.heapAfter1kMiB} MiB | ${m.heapAfter100kMiB} MiB | ${m.growthMiB} MiB |`);
lines.push(
  "",
  "| Bundle (esbuild, minified; kB = 1000 bytes, as size-limit counts) | gzip | minified |",
  "|---|---|---|",
);
for (const [name, b] of Object.entries(results.bundle))
  lines.push(`| ${name} | ${(b.gzipBytes / 1000).toFixed(2)} kB | ${(b.minifiedBytes / 1000).toFixed(2)} kB |`);
lines.push("");
for (const [name, op] of Object.entries(results.perOperation))
  lines.push(
    `Per operation, ${name}: ${op.bytesPerOperation} B min+gzip each (the client generated with ${op.operations} operations is ${op.gzipBytes} B, with the ${op.baseOperations} Sessions ones ${op.baseGzipBytes} B).`,
  );
lines.push(
  "",
  `Cold start (import in a fresh process, median of 20): ${Object.entries(results.coldStart)
    .map(([name, c]) => `${name} ${c.medianMs} ms (${c.vsOpenapiFetch}× openapi-fetch)`)
    .join(", ")}.`,
);
lines.push("", "| Webhook verification | ops/s vs node:crypto | ops/s |", "|---|---|---|");
for (const [label, { bytes, ...verifiers }] of Object.entries(results.webhooks))
  for (const [name, w] of Object.entries(verifiers))
    lines.push(`| ${label}, ${name} | ${w.vsNodeCrypto.toFixed(3)} | ${fmt(w.opsPerSec)} |`);
console.log(lines.join("\n"));
