// Runs the local KOMOJU alone (no docs), for tests and scripts: prints
// "Local KOMOJU listening on <url>" and one line per request; stops on SIGINT,
// SIGTERM, SIGHUP or when the pipe on its stdin closes.
import { fstatSync } from "node:fs";
import { startLocalKomoju } from "./index.mjs";

const komoju = await startLocalKomoju({
  port: Number(process.env.KOMOJU_MOCK_PORT ?? 4010),
  webhookUrls: (process.env.KOMOJU_WEBHOOK_URL ?? "").split(",").map((url) => url.trim()).filter(Boolean),
  webhookSecret: process.env.KOMOJU_WEBHOOK_SECRET,
  maxSessions: process.env.KOMOJU_LOCAL_MAX_SESSIONS ? Number(process.env.KOMOJU_LOCAL_MAX_SESSIONS) : undefined,
  retryDelaysMs: process.env.KOMOJU_WEBHOOK_RETRY_MS ? process.env.KOMOJU_WEBHOOK_RETRY_MS.split(",").map(Number) : undefined,
  log: (line) => console.log(line),
  onPrismExit: (code) => {
    console.error(`Prism stopped unexpectedly (${code}).`);
    process.exit(1);
  },
}).catch((error) => {
  console.error(error.code === "EADDRINUSE" ? `Port ${process.env.KOMOJU_MOCK_PORT ?? 4010} is in use: set KOMOJU_MOCK_PORT to another port (0 picks a free one).` : error.message);
  process.exit(1);
});
console.log(`Local KOMOJU listening on ${komoju.url} (Prism pid ${komoju.prismPid})`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await komoju.stop();
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
// Only a pipe is a lifeline: a terminal or /dev/null on stdin must not stop the server.
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
}
