import type { TestProject } from "vitest/node";
import { startPrism } from "../support/prism.js";

export interface ContractTarget {
  /** Where the client sends requests: always a Prism on 127.0.0.1. */
  baseUrl: string;
  secretKey: string;
  /** `mock`: Prism serves the spec's examples. `upstream`: Prism validates real traffic to KOMOJU_CONTRACT_UPSTREAM. */
  kind: "mock" | "upstream";
  prismPid: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    contractTarget: ContractTarget;
  }
}

/**
 * One Prism for the whole contract suite. With KOMOJU_CONTRACT_UPSTREAM set (and
 * KOMOJU_CONTRACT_SECRET_KEY, a test key), Prism proxies to that server and reports
 * every request or response that breaks the spec; otherwise it mocks the spec.
 */
export default async function setup(project: TestProject) {
  const upstream = process.env.KOMOJU_CONTRACT_UPSTREAM;
  const secretKey = upstream ? process.env.KOMOJU_CONTRACT_SECRET_KEY : "sk_test_contract";
  if (upstream && !secretKey) throw new Error("KOMOJU_CONTRACT_UPSTREAM needs KOMOJU_CONTRACT_SECRET_KEY (a test secret key).");

  const prism = await startPrism(upstream ? { upstream } : {});
  project.provide("contractTarget", { baseUrl: prism.url, secretKey: secretKey!, kind: upstream ? "upstream" : "mock", prismPid: prism.prismPid });
  return () => prism.stop();
}
