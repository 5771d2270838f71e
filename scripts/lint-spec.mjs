// Runs `redocly lint` with telemetry off, and drops the Node 20 end-of-life box that
// @redocly/cli 2.x prints on every run (the toolchain is pinned to Node 20 on purpose;
// the box is not a finding about the spec). Everything else, and the exit code, passes
// through untouched.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const result = spawnSync(join("node_modules", ".bin", "redocly"), ["lint", ...process.argv.slice(2)], {
  env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  encoding: "utf8",
});
if (result.error) throw result.error;

const withoutBanner = (text) => text.replace(/^\s*╔[\s\S]*?╚═+╝\n/m, "");
process.stdout.write(withoutBanner(result.stdout));
process.stderr.write(withoutBanner(result.stderr));
process.exit(result.status ?? 1);
