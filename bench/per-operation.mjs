// What one more operation costs the client bundle: the client built from the bundled
// spec as it is, and again from the same spec with only the Sessions operations, both
// through scripts/resources.mjs as `npm run generate` would emit them; bytes are
// esbuild-minified and gzipped at level 9, as size-limit counts them.
//   node bench/per-operation.mjs
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { emit, operationsOf } from "../scripts/resources.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

async function clientBytes(spec) {
  const routes = emit(spec)["generated/routes.ts"];
  const out = await build({
    stdin: {
      contents: 'import { createKomojuClient } from "./src/index.ts";\nconsole.log(createKomojuClient);\n',
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    treeShaking: true,
    write: false,
    logLevel: "silent",
    plugins: [
      {
        name: "routes-from-spec",
        setup(b) {
          b.onLoad({ filter: /generated[\\/]routes\.ts$/ }, () => ({ contents: routes, loader: "ts" }));
        },
      },
    ],
  });
  return gzipSync(out.outputFiles[0].contents, { level: 9 }).length;
}

export async function perOperationCost() {
  const spec = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"));
  const sessionsOnly = {
    ...spec,
    paths: Object.fromEntries(Object.entries(spec.paths).filter(([path]) => path.startsWith("/api/v1/sessions"))),
  };
  const all = operationsOf(spec).length;
  const base = operationsOf(sessionsOnly).length;
  const [withAll, withBase] = [await clientBytes(spec), await clientBytes(sessionsOnly)];
  return {
    operations: all,
    baseOperations: base,
    gzipBytes: withAll,
    baseGzipBytes: withBase,
    bytesPerOperation: Math.round(((withAll - withBase) / (all - base)) * 10) / 10,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await perOperationCost());
