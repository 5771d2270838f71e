// `redocly lint` through scripts/redocly.mjs: what it prints, and its exit code.
import { redocly } from "./redocly.mjs";

const result = redocly(["lint", ...process.argv.slice(2)]);

process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exit(result.status ?? 1);
