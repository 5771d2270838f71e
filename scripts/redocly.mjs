// Runs the pinned Redocly CLI with telemetry and the update notice off.
// What it prints comes back without the Node 20 end-of-life box that @redocly/cli 2.x
// adds to every run: the toolchain is pinned to Node 20 on purpose, and the box is not
// a finding about the spec.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const cli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");

const withoutBanner = (text) => text?.replace(/^\s*╔[\s\S]*?╚═+╝\n/m, "");

/** spawnSync's result; `stdio` as spawnSync takes it (output captured as UTF-8 by default). */
export function redocly(args, { stdio = "pipe" } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    encoding: "utf8",
    stdio,
  });
  if (result.error) throw result.error;
  return { ...result, stdout: withoutBanner(result.stdout), stderr: withoutBanner(result.stderr) };
}
