// Runs Prism as a child and ties its life to whoever started this script, in both
// directions: when our stdin closes (the parent exited, however it died, SIGKILL
// included) or we get a termination signal, Prism is killed; when we die, even by
// SIGKILL, Prism's own stdin pipe closes and it exits (local-komoju/prism-guard.cjs);
// when Prism exits, so do we, with its code.
import { spawnPrism } from "../local-komoju/prism.mjs";

const prism = spawnPrism(process.argv.slice(2));
prism.stdout.pipe(process.stdout);
prism.stderr.pipe(process.stderr);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  if (prism.exitCode === null && prism.signalCode === null) prism.kill("SIGKILL");
  process.exit(code);
}
prism.on("exit", (code) => stop(code ?? 1));
process.stdin.on("end", () => stop(0));
process.stdin.on("close", () => stop(0));
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(0));
process.on("exit", () => {
  if (prism.exitCode === null && prism.signalCode === null) prism.kill("SIGKILL");
});
