import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The package installed as users install it, the npm scripts and examples run as
// processes, and nested runs of the contract setup: `npm run test:integration`.
const INTEGRATION = [
  "test/package.test.ts",
  "test/start.test.ts",
  "test/komoju-local-package.test.ts",
  "test/examples/webhook-receiver-process.test.ts",
  "contract-tests/setup-lifecycle.test.ts",
];

export default defineConfig({
  // Examples and tests import the package by name, as users do, but get the source.
  resolve: { alias: { "komoju-ts": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: {
    // Vitest's default on 2 cores is one worker, which runs every file in turn, while many
    // files wait on servers, Chromium or child processes.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "test",
          include: ["test/**/*.test.ts"],
          exclude: INTEGRATION,
          // A worker that runs several files keeps the modules it loaded (the client, the
          // spec's Ajv validators, Playwright) instead of loading them again for each file.
          // So the files inject fetch, clocks and servers, and the few that stub globals or
          // mock a module to reload src/ under them (client/crypto, webhooks/raw-body,
          // webhooks/webhooks.property) reset modules before and unmock after.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["contract-tests/**/*.test.ts"],
          exclude: ["contract-tests/fixtures/**", ...INTEGRATION],
          globalSetup: ["contract-tests/setup/global.ts"],
          testTimeout: 20_000,
          // The files share no state but the compiled Ajv validators of the spec, which
          // are worth compiling once per worker rather than once per file.
          isolate: false,
        },
      },
      {
        extends: true,
        // Slow by nature (npm, git, tsc, Node with tsx starting); nested runs of the contract
        // setup cannot run under that setup itself.
        test: {
          name: "integration",
          include: INTEGRATION,
        },
      },
    ],
  },
});
