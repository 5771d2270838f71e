import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Examples and tests import the package by name, as users do, but get the source.
  resolve: { alias: { "komoju-ts": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  test: {
    // Vitest's default on 2 cores is one worker, which runs every file in turn; most
    // files spend their time waiting on child processes (Prism, npm, Chromium, servers).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "contract",
          include: ["contract-tests/**/*.test.ts"],
          exclude: ["contract-tests/prism-lifecycle.test.ts", "contract-tests/fixtures/**"],
          globalSetup: ["contract-tests/setup/global.ts"],
          testTimeout: 20_000,
          // The files share no state but the compiled Ajv validators of the spec, which
          // are worth compiling once per worker rather than once per file.
          isolate: false,
        },
      },
      {
        extends: true,
        // Starts nested runs with their own Prism, so it is kept out of the contract
        // suite's timing, and runs after the other projects: four nested runs starting
        // Prism beside the rest of the suite on 2 cores outwait its deadlines.
        test: {
          name: "lifecycle",
          include: ["contract-tests/prism-lifecycle.test.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
