// The smoke suite as a Cloudflare Worker: GET /?base=<fake KOMOJU>&tag=<tag> answers
// the results. No nodejs_compat flag, so the package sees a Workers runtime: no
// `process`, no node:crypto, Web Crypto only.
import * as pkg from "komoju-ts";
import { clientChecks, run, webhookCheck } from "./smoke.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const [baseUrl, tag] = [url.searchParams.get("base"), url.searchParams.get("tag")];
    const results = await run({
      ...clientChecks(pkg, baseUrl, tag),
      ...webhookCheck(pkg, tag, "webhook sign and verify, Web Crypto path"),
    });
    return Response.json(results);
  },
};
