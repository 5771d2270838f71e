// What one more operation costs the client bundle: the client built from the bundled
// spec as it is, and again from the same spec with only the Sessions operations, the
// route table emitted by the generator as `npm run generate` would emit it; bytes are
// esbuild-minified and gzipped at level 9, as size-limit counts them. The generator is
// TypeScript, so this runs under tsx, in a process of its own when run.mjs asks:
//   node --import tsx bench/per-operation.mjs [root generator]
// prints JSON for the repository, or for a checkout at `root` whose route table
// generator is `generator` (bench/baseline.mjs: the client at another git ref).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const repo = fileURLToPath(new URL("..", import.meta.url));

async function clientBytes(root, routes) {
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

export async function perOperationCost(root = repo, generator = join(repo, "scripts/lib/client-code.ts")) {
  const { emit, operationsOf } = await import(pathToFileURL(generator).href);
  const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
  const sessionsOnly = {
    ...spec,
    paths: Object.fromEntries(Object.entries(spec.paths).filter(([path]) => path.startsWith("/api/v1/sessions"))),
  };
  const all = operationsOf(spec).length;
  const base = operationsOf(sessionsOnly).length;
  const withAll = await clientBytes(root, emit(spec)["generated/routes.ts"]);
  const withBase = await clientBytes(root, emit(sessionsOnly)["generated/routes.ts"]);
  return {
    operations: all,
    baseOperations: base,
    gzipBytes: withAll,
    baseGzipBytes: withBase,
    bytesPerOperation: Math.round(((withAll - withBase) / (all - base)) * 10) / 10,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  console.log(JSON.stringify(await perOperationCost(...process.argv.slice(2))));
