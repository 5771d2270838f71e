// The files the local KOMOJU reads at run time: the bundled spec (generated/openapi.json)
// and the API docs page (docs/index.html, written by `npm run docs`) in this repository.
// The package's build (packages/komoju-local/scripts/build.mjs) copies both beside its
// bundle and puts a module pointing at those copies in this one's place.
export const BUNDLED_SPEC_FILE = new URL("../../../generated/openapi.json", import.meta.url);
export const DOCS_FILE = new URL("../../../docs/index.html", import.meta.url);
