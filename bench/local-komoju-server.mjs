// One contender of bench/local-komoju.mjs in its own process, so it never shares an
// event loop with the client that measures it: `mock` (Prism's static mock, logging
// every request as `npm run mock` does, behind its front), `quiet-mock` (Prism alone,
// without a log) or `local` (the local KOMOJU). Runs under tsx (`node --import tsx`). Prints its URL as a JSON line; for `local`, a line
// `fill N` on stdin fills it to N sessions and prints the newest id. Exits when its
// stdin closes.
import { createInterface } from "node:readline";
import { startLocalKomoju, startMock, startPrism } from "../packages/komoju-local/src/index.ts";
import { createSession } from "../packages/komoju-local/src/simulation/sessions.ts";

const kind = process.argv[2];
const server =
  kind === "local"
    ? await startLocalKomoju({ port: 0 })
    : kind === "mock"
      ? await startMock({ port: 0, log: () => {} })
      : await startPrism();
console.log(JSON.stringify({ url: server.baseUrl ?? server.url }));

// The store is what is measured, and 10,000 creates through Prism would take minutes.
for await (const line of createInterface({ input: process.stdin })) {
  const [command, count] = line.split(" ");
  if (command !== "fill" || kind !== "local") continue;
  let last;
  while (server.store.sessions.size < Number(count))
    last = createSession(server.store, { amount: 1000, currency: "JPY", return_url: "https://e.example/r" }).id;
  console.log(JSON.stringify({ last }));
}
process.exit(0);
