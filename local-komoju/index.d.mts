// Types for the TypeScript tests and examples that run a local KOMOJU in their process.
export declare const DEFAULT_MAX_SESSIONS: number;

export interface LocalKomojuOptions {
  /** 0 picks a free port. Default 4010. */
  port?: number;
  host?: string;
  webhookUrls?: string[];
  webhookSecret?: string;
  /** One line per request and per webhook delivery. */
  log?: (line: string) => void;
  maxSessions?: number;
  retryDelaysMs?: number[];
}

export interface RunningLocalKomoju {
  /** e.g. http://127.0.0.1:4010 */
  url: string;
  /** The simulator's state (local-komoju/state.mjs), for benchmarks that fill it directly. */
  komoju: object;
  /** Closes the front, Prism's proxy and the simulator. */
  stop(): Promise<void>;
}

export declare function startLocalKomoju(options?: LocalKomojuOptions): Promise<RunningLocalKomoju>;
