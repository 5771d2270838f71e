// What a project that installed the package runs, one program for every install
// check (test/package.test.ts, `npm run test:git-install`): the package imported by
// name as ESM and as CommonJS in one process, a request through each build, their
// error classes, and the bundled spec's subpath export. It prints a JSON report.
export const consumer = `
  import { createRequire } from "node:module";
  import * as esm from "komoju-ts";
  const cjs = createRequire(import.meta.url)("komoju-ts");
  const spec = createRequire(import.meta.url)("komoju-ts/openapi.json");
  const use = async (pkg) => {
    const fetch = async (request) => new Response(JSON.stringify({ id: request.url.split("/").pop(), status: "pending" }), { headers: { "content-type": "application/json" } });
    const session = await pkg.createKomojuClient({ secretKey: "sk_test_1", fetch }).sessions.retrieve("sess_1");
    return { session: session.id, error: new pkg.KomojuNotFoundError("x", "not_found", { status: 404 }) instanceof pkg.KomojuError };
  };
  console.log(JSON.stringify({ esm: await use(esm), cjs: await use(cjs), distinct: esm.KomojuError !== cjs.KomojuError, openapi: spec.openapi }));`;

/** The report of a working install; `openapi` is the spec's version, 3.1.x. */
export const expected = {
  esm: { session: "sess_1", error: true },
  cjs: { session: "sess_1", error: true },
  distinct: true,
};
export const openapiVersion = /^3\.1\./;
