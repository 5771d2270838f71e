// komoju-local's command line: `start` (the default), `mock`, `trigger`, `listen` and
// `proxy`, parsed with node's util.parseArgs. Each command returns what it started, or its
// exit code; a usage error is one line and exit code 1, never a stack trace.
import { parseArgs } from "node:util";
import { LISTEN_HELP, type ListenFlags, listen } from "./forward.js";
import { MOCK_HELP, mock } from "./mock.js";
import { PROXY_HELP, type ProxyFlags, proxy } from "./proxy.js";
import { type Io, processIo, type Running, UsageError } from "./shared.js";
import { START_HELP, type StartFlags, type StartOptions, start } from "./start.js";
import { TRIGGER_HELP, type TriggerFlags, trigger } from "./trigger.js";

export const HELP = `Usage: komoju-local [command] [options]

A local KOMOJU for development and tests, from the spec komoju-ts is generated from.

Commands:
  start                              the stateful local KOMOJU, its checkout page and the API docs (the default)
  mock                               Prism's stateless mock of every operation
  trigger <event> --to <url>         send one signed sample event to a webhook endpoint
  listen --forward-to <url>          forward a KOMOJU account's new events to a local endpoint, signed
  proxy --upstream <url>             Prism's validating proxy in front of a KOMOJU, reporting drift

Run komoju-local <command> --help for its options.`;

const COMMANDS = {
  start: {
    help: START_HELP,
    options: {
      port: { type: "string" },
      "docs-port": { type: "string" },
      "no-docs": { type: "boolean" },
      "webhook-url": { type: "string", multiple: true },
    },
  },
  mock: { help: MOCK_HELP, options: { port: { type: "string" } } },
  trigger: {
    help: TRIGGER_HELP,
    options: { to: { type: "string" }, secret: { type: "string" }, list: { type: "boolean" } },
  },
  listen: {
    help: LISTEN_HELP,
    options: { "forward-to": { type: "string" }, since: { type: "string" }, interval: { type: "string" } },
  },
  proxy: {
    help: PROXY_HELP,
    options: { upstream: { type: "string" }, port: { type: "string" }, "fail-on-drift": { type: "boolean" } },
  },
} as const;

type Command = keyof typeof COMMANDS;
/** Every command's flags: parseArgs has checked that only the command's own are set. */
type Flags = StartFlags & TriggerFlags & ListenFlags & ProxyFlags & { help?: boolean | undefined };

/** What a run comes to: an exit code now, or something running until stopped. */
export type Outcome = { code: number } | { running: Running };

function parse(command: Command, args: string[]) {
  try {
    return parseArgs({
      args,
      options: { ...COMMANDS[command].options, help: { type: "boolean", short: "h" } },
      allowPositionals: command === "trigger",
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${COMMANDS[command].help}`);
  }
}

async function dispatch(command: Command, args: string[], io: Io, options: StartOptions): Promise<Outcome> {
  const parsed = parse(command, args);
  const values = parsed.values as Flags;
  const positionals = parsed.positionals;
  if (values.help) {
    io.out(COMMANDS[command].help);
    return { code: 0 };
  }
  if (command === "trigger") {
    if (positionals.length > 1) throw new UsageError(`One event type at a time.\n\n${TRIGGER_HELP}`);
    return { code: await trigger(positionals[0], values, io) };
  }
  if (command === "start") return { running: await start(values, io, options) };
  if (command === "mock") return { running: await mock(values, io) };
  if (command === "listen") return { running: await listen(values, io) };
  return { running: await proxy(values, io) };
}

/** Runs komoju-local with these arguments (without node and the script); a usage error comes back as exit code 1. */
export async function run(argv: string[], io: Io = processIo(), options: StartOptions = {}): Promise<Outcome> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    io.out(HELP);
    return { code: 0 };
  }
  if (first === "--version" || first === "-v") {
    io.out(VERSION);
    return { code: 0 };
  }
  const named = first !== undefined && !first.startsWith("-");
  const command = named ? first : "start";
  if (!Object.hasOwn(COMMANDS, command)) {
    io.err(`Unknown command ${command}.\n\n${HELP}`);
    return { code: 1 };
  }
  try {
    return await dispatch(command as Command, named ? rest : argv, io, options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    return { code: error.code };
  }
}

declare const KOMOJU_LOCAL_VERSION: string | undefined;
/** The package's version, set by the build; "dev" from the source. */
const VERSION = typeof KOMOJU_LOCAL_VERSION === "string" ? KOMOJU_LOCAL_VERSION : "dev";
