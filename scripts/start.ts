// `npm start` and `npm run mock` in this repository: komoju-local's `start` and `mock`
// commands (packages/komoju-local/src/cli/), from the source, with the docs rebuilt first
// when the spec is newer. `--mock-only` (npm run mock): the stateless mock. Any other
// arguments go to the command (`npm start -- --port 0`). Run with tsx (`node --import tsx`),
// in one process: nothing it starts can outlive it. Ports: KOMOJU_MOCK_PORT,
// KOMOJU_DOCS_PORT (0 picks a free one). Webhooks: KOMOJU_WEBHOOK_URL (comma-separated)
// and KOMOJU_WEBHOOK_SECRET. Stops on SIGINT, SIGTERM, SIGHUP or when its parent dies.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../packages/komoju-local/src/cli/main.js";
import { holdProcess } from "../packages/komoju-local/src/cli/shared.js";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const mockOnly = process.argv.includes("--mock-only");
const args = process.argv.slice(2).filter((arg) => arg !== "--mock-only");

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    }),
  );
}

/** docs/index.html, rebuilt when the spec is newer; a failed rebuild keeps the previous page. */
function ensureDocs(): void {
  if (existsSync("docs/index.html") && statSync("docs/index.html").mtimeMs >= newestMtime("openapi")) return;
  try {
    execFileSync(process.execPath, ["scripts/build-docs.mjs"], { stdio: ["ignore", "inherit", "pipe"] });
  } catch (error) {
    const failure = error as { stderr?: unknown; message: string };
    const reason = String(failure.stderr ?? failure.message)
      .trim()
      .split("\n")
      .at(-1);
    if (!existsSync("docs/index.html")) {
      console.error(`The docs could not be built (${reason}); run npm run docs to see why.`);
      process.exit(1);
    }
    console.error(`The docs could not be rebuilt (${reason}); serving the previous build.`);
  }
}

if (!mockOnly && !args.includes("--no-docs") && !args.includes("--help")) ensureDocs();
const outcome = await run([mockOnly ? "mock" : "start", ...args], undefined, { docsFile: "docs/index.html" });
if ("code" in outcome) process.exit(outcome.code);
holdProcess(outcome.running);
