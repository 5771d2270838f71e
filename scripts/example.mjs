// `npm run example -- <name>`: runs examples/<name>.ts with tsx, the client taken from
// src/ (tsconfig's paths). Without a name, lists the examples and what each needs.
// The client examples default to the local mock when KOMOJU_BASE_URL and
// KOMOJU_SECRET_KEY are both unset, and say so.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const MOCK = "http://127.0.0.1:4010";
const USES_MOCK = `the mock running (\`npm run mock\`, or \`npm start\`), or KOMOJU_BASE_URL and KOMOJU_SECRET_KEY for another target`;
const NEEDS = {
  quickstart: `${USES_MOCK}. Creates a session and retrieves it.`,
  "checkout-server": `${USES_MOCK}. Serves http://127.0.0.1:3000/checkout (PORT changes the port).`,
  "webhook-receiver":
    "KOMOJU_WEBHOOK_SECRET (the webhook's secret token). Listens on http://127.0.0.1:3000 (PORT changes the port).",
};

const names = readdirSync("examples")
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort();
const name = process.argv[2];

if (!name || !names.includes(name)) {
  if (name) console.error(`No example named "${name}".\n`);
  console.log("Usage: npm run example -- <name>\n");
  for (const example of names)
    console.log(`  ${example.padEnd(18)} needs ${NEEDS[example] ?? `what examples/${example}.ts says at its top.`}`);
  process.exit(name ? 1 : 0);
}

const env = { ...process.env };
if (NEEDS[name]?.startsWith(USES_MOCK) && !env.KOMOJU_BASE_URL && !env.KOMOJU_SECRET_KEY) {
  env.KOMOJU_BASE_URL = MOCK;
  env.KOMOJU_SECRET_KEY = "sk_test_example";
  try {
    await fetch(MOCK, { signal: AbortSignal.timeout(2_000) });
  } catch {
    console.error(
      `The mock is not running on ${MOCK}: start it with \`npm run mock\` in another terminal, or set KOMOJU_BASE_URL and KOMOJU_SECRET_KEY.`,
    );
    process.exit(1);
  }
  console.error(`Using the local mock on ${MOCK} (KOMOJU_BASE_URL and KOMOJU_SECRET_KEY are unset).`);
}

const child = spawn(
  process.execPath,
  [join("node_modules", "tsx", "dist", "cli.mjs"), join("examples", `${name}.ts`)],
  { env, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
