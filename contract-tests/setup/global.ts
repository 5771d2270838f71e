import type { TestProject } from "vitest/node";
import { startLocalKomoju } from "../../test/local-komoju/support.js";
import { startDriftingUpstream } from "../support/drifting-upstream.js";
import { startPrism } from "../support/prism.js";

export interface ContractTarget {
  /** Where the client sends requests: always a Prism on 127.0.0.1. */
  baseUrl: string;
  secretKey: string;
  /** `mock`: Prism serves the spec's examples. `upstream`: Prism validates real traffic to KOMOJU_CONTRACT_UPSTREAM. */
  kind: "mock" | "upstream";
  prismPid: number;
}

export interface DriftTarget {
  /** `prism proxy --errors` in front of the drifting upstream. */
  proxyUrl: string;
  /** The drifting upstream itself, for its request log. */
  upstreamUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    contractTarget: ContractTarget;
    driftTarget: DriftTarget;
    /** The local KOMOJU (front, `prism proxy --errors`, simulator) on a free loopback port. */
    localKomojuUrl: string;
    /** Every Prism this setup started (main, drift proxy, the local KOMOJU's), for the lifecycle test. */
    prismPids: number[];
  }
}

/**
 * The Prisms of the contract suite, started side by side. The main one: with
 * KOMOJU_CONTRACT_UPSTREAM set (and KOMOJU_CONTRACT_SECRET_KEY, a test key), Prism
 * proxies to that server and reports every request or response that breaks the
 * spec; otherwise it mocks the spec. The second proxies to a deliberately drifting
 * local upstream, to prove the proxy path catches drift. The third is the local
 * KOMOJU's, so the simulator is held to the same spec.
 */
export default async function setup(project: TestProject) {
  const upstream = process.env.KOMOJU_CONTRACT_UPSTREAM;
  const secretKey = upstream ? process.env.KOMOJU_CONTRACT_SECRET_KEY : "sk_test_contract";
  if (upstream && !secretKey) throw new Error("KOMOJU_CONTRACT_UPSTREAM needs KOMOJU_CONTRACT_SECRET_KEY (a test secret key).");

  const drifting = await startDriftingUpstream();
  const started = await Promise.allSettled([startPrism(upstream ? { upstream } : {}), startPrism({ upstream: drifting.url }), startLocalKomoju()]);
  const [mainStart, driftStart, localStart] = started;
  if (mainStart.status === "rejected" || driftStart.status === "rejected" || localStart.status === "rejected") {
    // Whatever did start is stopped before the run fails, not left to the lifelines.
    await Promise.all(started.map((result) => result.status === "fulfilled" && result.value.stop()));
    await drifting.close();
    throw started.map((result) => result.status === "rejected" && result.reason).find(Boolean);
  }
  const [main, driftProxy, local] = [mainStart.value, driftStart.value, localStart.value];
  project.provide("contractTarget", { baseUrl: main.url, secretKey: secretKey!, kind: upstream ? "upstream" : "mock", prismPid: main.prismPid });
  project.provide("driftTarget", { proxyUrl: driftProxy.url, upstreamUrl: drifting.url });
  project.provide("localKomojuUrl", local.url);
  project.provide("prismPids", [main.prismPid, driftProxy.prismPid, local.prismPid]);
  return async () => {
    await Promise.all([main.stop(), driftProxy.stop(), local.stop()]);
    await drifting.close();
  };
}
