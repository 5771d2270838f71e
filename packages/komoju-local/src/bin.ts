#!/usr/bin/env node
// The `komoju-local` command: runs one command and exits with its code, or keeps a server
// until Ctrl-C (or SIGTERM, SIGHUP, the parent's death), then stops it and exits.
import { run } from "./cli/main.js";
import { holdProcess } from "./cli/shared.js";

const outcome = await run(process.argv.slice(2));
if ("code" in outcome) process.exit(outcome.code);
holdProcess(outcome.running);
