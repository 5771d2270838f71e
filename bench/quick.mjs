import { fork } from "node:child_process";
import { Bench } from "tinybench";
import { contenders } from "./contenders.mjs";

const server = fork("bench/server.mjs");
const { port } = await new Promise((r) => server.once("message", r));
const c = contenders(`http://127.0.0.1:${port}`);
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};
for (let trial = 0; trial < 2; trial++)
  for (const m of ["get", "post"]) {
    const res = {};
    const names = Object.keys(c[m]);
    for (let r = 0; r < 40; r++) {
      const b = new Bench({ iterations: 40, time: 0, warmupIterations: 5, warmupTime: 0 });
      for (const n of [...names.slice(r % 4), ...names.slice(0, r % 4)]) b.add(n, c[m][n]);
      await b.run();
      for (const t of b.tasks) (res[t.name] ??= []).push(t.result.latency.mean);
    }
    const raw = med(res["raw fetch"]);
    console.log(
      m,
      Object.fromEntries(
        Object.entries(res).map(([k, v]) => [k, (raw / med(v)).toFixed(3) + " " + Math.round(1000 / med(v))]),
      ),
    );
  }
server.kill();
