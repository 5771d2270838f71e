// Runs Prism as a child and ties its life to whoever started this script: when our
// stdin closes (the parent exited, however it died, SIGKILL included) or we get a
// termination signal, Prism is killed too. Node cannot ask the kernel to signal a
// child when its parent dies, so this pipe is how a killed test runner still leaves
// no Prism behind.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const prism = spawn(process.execPath, [require.resolve("@stoplight/prism-cli/dist/index.js"), ...process.argv.slice(2)], {
  stdio: ["ignore", "pipe", "pipe"],
});
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
