import type { TestProject } from "vitest/node";
import { startControlServer } from "./control-server.js";

export interface LocalKomojuHost {
  /** The control server (./control-server.ts) that starts and stops instances in the host process. */
  controlUrl: string;
  /** The host process: vitest's main process, where every instance runs. */
  pid: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    localKomojuHost: LocalKomojuHost;
  }
}

/**
 * The instances of the local KOMOJU tests (test/local-komoju/) run in vitest's main
 * process, started through a control server on 127.0.0.1: nothing can outlive the run,
 * however it ends, and they share Prism's reading of the spec and its compiled
 * validators with the contract setup.
 */
export default async function setup(project: TestProject) {
  const control = await startControlServer();
  project.provide("localKomojuHost", { controlUrl: control.url, pid: process.pid });
  return () => control.close();
}
