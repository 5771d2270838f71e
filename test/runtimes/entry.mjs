// The smoke suite on Node, Bun and Deno: `<runtime> test/runtimes/entry.mjs <baseUrl> <tag>`.
// Prints the results as one JSON line. Imports the built package, as users get it.
import * as pkg from "../../dist/esm/src/index.js";
import { clientChecks, run, webhookCheck } from "./smoke.mjs";

const [baseUrl, tag] = globalThis.Deno?.args ?? process.argv.slice(2);

const results = await run({ ...clientChecks(pkg, baseUrl, tag), ...webhookCheck(pkg, tag, "webhook sign and verify") });

// The package takes node:crypto where it sees Node's `process`, and Web Crypto
// elsewhere (workerd, browsers). A second instance that sees no `process` while it
// chooses takes the Web Crypto path on this runtime's own Web Crypto. Node 18 has no
// global Web Crypto, so it has no such path.
if (globalThis.crypto?.subtle) {
  const web = await import("../../dist/esm/src/index.js?web-crypto");
  if (web === pkg)
    throw new Error(
      "The runtime gave the same module instance for a different URL; the Web Crypto path cannot be tested this way.",
    );
  const saved = Object.getOwnPropertyDescriptor(globalThis, "process");
  Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
  try {
    results.push(...(await run(webhookCheck(web, tag, "webhook sign and verify, Web Crypto path"))));
  } finally {
    Object.defineProperty(globalThis, "process", saved);
  }
}

console.log(JSON.stringify(results));
