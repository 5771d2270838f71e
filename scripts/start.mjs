// `npm start`: the local KOMOJU mock (Prism, on 127.0.0.1:4010) and the API docs (on
// 127.0.0.1:4011), rebuilding the docs first when the spec is newer. `--mock-only`
// (npm run mock) skips the docs. Ctrl-C stops everything.
// Ports: KOMOJU_MOCK_PORT and KOMOJU_DOCS_PORT (0 picks a free one).
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";

const mockOnly = process.argv.includes("--mock-only");
const mockPort = process.env.KOMOJU_MOCK_PORT ?? "4010";
const docsPort = Number(process.env.KOMOJU_DOCS_PORT ?? 4011);
const HOST = "127.0.0.1";

function newestMtime(dir) {
  return Math.max(...readdirSync(dir, { withFileTypes: true }).map((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
  }));
}

if (!mockOnly && (!existsSync("docs/index.html") || statSync("docs/index.html").mtimeMs < newestMtime("openapi"))) {
  execFileSync(process.execPath, ["scripts/build-docs.mjs"], { stdio: "inherit" });
}

// The lifeline ties Prism's life to this process, so no mock is left behind however we end.
const prism = spawn(process.execPath, ["scripts/prism-lifeline.mjs", "mock", "openapi/openapi.yaml", "--errors", "--host", HOST, "--port", mockPort], {
  stdio: ["pipe", "pipe", "inherit"],
});
const mockUrl = await new Promise((resolve, reject) => {
  let output = "";
  prism.stdout.on("data", (chunk) => {
    output += chunk;
    const match = /Prism is listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  prism.once("exit", (code) => reject(new Error(`The mock exited (${code}) before it was ready:\n${output}`)));
});
prism.stdout.resume();

let docsServer;
let docsUrl;
if (!mockOnly) {
  const html = readFileSync("docs/index.html");
  docsServer = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found: the docs are one page, at /.\n");
  });
  await new Promise((resolve) => docsServer.listen(docsPort, HOST, resolve));
  docsUrl = `http://${HOST}:${docsServer.address().port}/`;
}

console.log(`
  KOMOJU mock   ${mockUrl}   (Prism: answers with the spec's examples, refuses what the spec refuses)${docsUrl ? `\n  API docs     ${docsUrl}` : ""}

  Point the client at the mock:

    import { createKomojuClient } from "komoju-ts";
    const komoju = createKomojuClient({ secretKey: "sk_test_123", baseUrl: "${mockUrl}" });
    const session = await komoju.sessions.create({ amount: 8888, currency: "JPY", return_url: "https://example.com" });

  Or: curl -u sk_test_123: ${mockUrl}/api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv
  Ask for an error with -H 'Prefer: code=404', another example with -H 'Prefer: example=completed'.

  Ctrl-C stops both.
`);

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  docsServer?.close();
  docsServer?.closeAllConnections();
  prism.once("exit", () => process.exit(0));
  prism.stdin.end();
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
prism.once("exit", (code) => {
  if (stopping) return;
  console.error(`The mock stopped unexpectedly (${code}).`);
  docsServer?.close();
  process.exit(1);
});
