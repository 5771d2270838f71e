// `npm run komoju -- <command> …` in this repository: komoju-local's command line
// (packages/komoju-local/src/cli/) from the source, e.g.
// `npm run komoju -- trigger payment.captured --to http://127.0.0.1:3000/webhooks`.
// Run with tsx (`node --import tsx`).
import { run } from "../packages/komoju-local/src/cli/main.js";
import { holdProcess } from "../packages/komoju-local/src/cli/shared.js";

const outcome = await run(process.argv.slice(2));
if ("code" in outcome) process.exit(outcome.code);
holdProcess(outcome.running);
