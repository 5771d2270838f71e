import type { TestProject } from "vitest/node";
import { startLocalKomoju, startMock, startPrism } from "../../packages/komoju-local/src/index.js";
import { startDriftingUpstream } from "../support/drifting-upstream.js";

export interface ContractTarget {
  /**
   * Where the client sends requests: always a Prism on 127.0.0.1, behind the front that
   * answers its refusals in KOMOJU's error envelope (packages/komoju-local/src/mock.ts).
   */
  baseUrl: string;
  secretKey: string;
  /** `mock`: Prism serves the spec's examples. `upstream`: Prism validates real traffic to KOMOJU_CONTRACT_UPSTREAM. */
  kind: "mock" | "upstream";
}

export interface DriftTarget {
  /** Prism's validating proxy (`--errors`) in front of the drifting upstream. */
  proxyUrl: string;
  /** The drifting upstream itself, for its request log. */
  upstreamUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    contractTarget: ContractTarget;
    driftTarget: DriftTarget;
    /** The local KOMOJU (front, Prism's validating proxy, simulator) on a free loopback port. */
    localKomojuUrl: string;
    /** Every server this setup started, for the lifecycle test. */
    setupServers: string[];
  }
}

/**
 * The servers of the contract suite, all in the runner's own process (so none can
 * outlive the run, however it ends) and sharing one reading of the spec. The main
 * Prism, behind the front of `npm run mock` (refusals in KOMOJU's envelope, Prism's
 * findings in `sl-violations`): with KOMOJU_CONTRACT_UPSTREAM set (and
 * KOMOJU_CONTRACT_SECRET_KEY, a test key), it proxies to that server and reports every
 * request or response that breaks the spec; otherwise it mocks the spec. The second proxies to a deliberately drifting
 * local upstream, to prove the proxy path catches drift. The third is the local
 * KOMOJU, so the simulator is held to the same spec.
 */
export default async function setup(project: TestProject) {
  const upstream = process.env.KOMOJU_CONTRACT_UPSTREAM;
  const secretKey = upstream ? process.env.KOMOJU_CONTRACT_SECRET_KEY : "sk_test_contract";
  if (upstream && !secretKey)
    throw new Error("KOMOJU_CONTRACT_UPSTREAM needs KOMOJU_CONTRACT_SECRET_KEY (a test secret key).");

  const drifting = await startDriftingUpstream();
  // The mock answers with the spec's own examples, which lint, test/spec/examples.test.ts
  // (bodies and headers) and the spec-driven suite (every operation and status, each
  // answer's headers and body checked with Ajv) already hold to their schemas; Prism
  // checking them again on every answer cost 2-3 s of CPU a run. What an upstream
  // answers is always checked.
  const started = await Promise.allSettled([
    startMock({ port: 0, upstream, validateResponses: Boolean(upstream) }),
    startPrism({ upstream: drifting.url }),
    startLocalKomoju({ port: 0 }),
  ]);
  const stopAll = async () => {
    await Promise.all(started.map((result) => result.status === "fulfilled" && result.value.stop()));
    await drifting.close();
  };
  const [main, driftProxy, local] = started;
  if (main.status === "rejected" || driftProxy.status === "rejected" || local.status === "rejected") {
    await stopAll();
    throw started.map((result) => result.status === "rejected" && result.reason).find(Boolean);
  }
  project.provide("contractTarget", {
    baseUrl: main.value.url,
    secretKey: secretKey!,
    kind: upstream ? "upstream" : "mock",
  });
  project.provide("driftTarget", { proxyUrl: driftProxy.value.url, upstreamUrl: drifting.url });
  project.provide("localKomojuUrl", local.value.baseUrl);
  project.provide("setupServers", [main.value.url, driftProxy.value.url, local.value.baseUrl, drifting.url]);
  return stopAll;
}
