// Types for the TypeScript tests that drive a browser.
export interface FoundBrowser {
  source: "CHROMIUM_PATH" | "system" | "npm";
  executablePath: string;
  args: string[];
  env?: Record<string, string>;
}

/** Why no browser can run here, and how to get one. Never returned on Linux: there it is an error. */
export interface NoBrowser {
  unavailable: string;
}

export declare function findBrowser(env?: NodeJS.ProcessEnv): Promise<FoundBrowser | NoBrowser>;
