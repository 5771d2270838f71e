// What every komoju-local command shares: one-line failures (never a stack trace), ports
// from flags or the environment, colors only on a terminal, and a process that stops with
// everything it started on SIGINT, SIGTERM, SIGHUP or when its parent dies.
import { createServer } from "node:http";

/** Where a command writes; tests and the in-repo scripts pass their own. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colors). */
  tty: boolean;
}

export const processIo = (): Io => ({
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
  tty: Boolean(process.stdout.isTTY),
});

/** A failure the user can act on: printed as its message alone, exit code 1 (or `code`). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export function painter(io: Io): (code: number, text: string) => string {
  const color = io.tty && !io.env.NO_COLOR && io.env.TERM !== "dumb";
  return (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
}

/** A port from a flag, else an environment variable, else the default; 0 picks a free one. */
export function portFrom(flag: string | undefined, envName: string, io: Io, fallback: number): number {
  const value = flag ?? io.env[envName] ?? String(fallback);
  const source = flag !== undefined ? "--port" : envName;
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(`${source} must be a port number (0 picks a free one), not "${value}".`);
  return Number(value);
}

/** A port's setting: its environment variable and its flag. */
export interface PortSetting {
  env: string;
  flag: string;
}

export const busy = (port: number, host: string, { env, flag }: PortSetting) =>
  `Port ${port} on ${host} is in use: set ${env} to another port, or pass ${flag} (0 picks a free one).`;

/** Fails with the one-line hint if the port is taken, before Prism takes seconds to load. */
export async function ensureFree(port: number, host: string, name: PortSetting): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(new UsageError(error.code === "EADDRINUSE" ? busy(port, host, name) : `${name.env}: ${error.message}`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A start failure as one line: a busy port names what to change. */
export function startFailure(what: string, port: number, host: string, name: PortSetting) {
  return (error: NodeJS.ErrnoException): UsageError =>
    new UsageError(error.code === "EADDRINUSE" ? busy(port, host, name) : `${what} could not start: ${error.message}`);
}

export const MOCK_PORT: PortSetting = { env: "KOMOJU_MOCK_PORT", flag: "--port" };
export const DOCS_PORT: PortSetting = { env: "KOMOJU_DOCS_PORT", flag: "--docs-port" };

/** One request's log line, colored by its status on a terminal. */
export function requestLogger(io: Io): (line: string) => void {
  const paint = painter(io);
  return (line) => {
    const status = / (\d{3}) /.exec(line)?.[1] ?? "";
    io.out(status.startsWith("2") || status.startsWith("3") ? line : paint(status.startsWith("5") ? 31 : 33, line));
  };
}

/** What a long-running command hands back: how to stop it, and a promise of its exit code. */
export interface Running {
  /** Stops what the command started; resolves with the exit code. */
  stop(): Promise<number>;
  /** Resolves with the exit code when the command ends by itself (never, for servers). */
  done?: Promise<number>;
}

/**
 * Keeps the process until a signal, its parent's death or the command's own end, then stops
 * what the command started and exits with its code. A second signal exits at once, and a
 * server that will not close never holds the exit up.
 */
export function holdProcess(running: Running): void {
  let stopping = false;
  const stop = async (code?: number) => {
    if (stopping) process.exit(code ?? 0);
    stopping = true;
    setTimeout(() => process.exit(code ?? 0), 2_000).unref();
    const stopped = await running.stop();
    process.exit(code ?? stopped);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stop());
  // npm does not always pass a signal on, and a killed parent sends none: notice being orphaned.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(), 500).unref();
  running.done?.then((code) => stop(code));
}
