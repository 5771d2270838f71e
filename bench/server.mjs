// The other end of every benchmark: one keep-alive HTTP server on 127.0.0.1, in its own
// process so it does not share an event loop with the clients being measured. It
// answers every request with the seed's session JSON.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const body = readFileSync(new URL("../test/fixtures/seed-create-session.json", import.meta.url));
const headers = { "content-type": "application/json", "content-length": String(body.length) };

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, headers).end(body));
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
