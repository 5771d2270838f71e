import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isMock, target } from "./support/target.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const quickstart = readFileSync(new URL("../examples/quickstart.ts", import.meta.url), "utf8");

describe("the README's usage example", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("is examples/quickstart.ts, verbatim", () => {
    expect(readme).toContain(`\`\`\`ts\n${quickstart}\`\`\``);
  });

  it.runIf(isMock)("runs against the mock: creates a session, then retrieves it", async () => {
    vi.stubEnv("KOMOJU_SECRET_KEY", target.secretKey);
    vi.stubEnv("KOMOJU_BASE_URL", target.baseUrl);
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await import("../examples/quickstart.js");
    expect(log.mock.calls).toEqual([
      ["Send the customer to", "https://komoju.com/sessions/e9x5mvx3jkpkofzcg7umfael6"],
      ["Session", "1kv31jmdp5zweqlr2l2odr8wv", "is", "pending"],
    ]);
    expect(error).not.toHaveBeenCalled();
  });
});
