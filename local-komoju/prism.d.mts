// Types for the TypeScript tests that run Prism in their process.
export interface PrismOptions {
  /** Proxy to this URL and validate both ways; without it, mock the spec. */
  upstream?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  spec?: string;
  /** `false`: answers go out unchecked against the spec (requests are always checked). Default `true`. */
  validateResponses?: boolean;
  onLog?: (entry: {
    msg?: string;
    name?: string;
    level: number;
    input?: { method: string; url: { path: string } };
  }) => void;
}

export declare function startPrism(options?: PrismOptions): Promise<{ url: string; stop(): Promise<void> }>;
