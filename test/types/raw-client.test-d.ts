// Compile-time tests of the raw methods, checked by `tsc` in `npm test`: every
// `@ts-expect-error` must be an error and every unmarked line must compile.
import { expectTypeOf } from "vitest";
import { createKomojuClient, type Session } from "../../src/index.js";

const komoju = createKomojuClient({ secretKey: "sk_test_types" });
const id = "e9x5mvx3jkpkofzcg7umfael6";

// What the raw methods read: params, body, headers, baseUrl, signal.
const shown = await komoju.GET("/api/v1/sessions/{id}", {
  params: { path: { id } },
  headers: { "x-note": "1" },
  signal: AbortSignal.timeout(1000),
});
if (shown.data) {
  expectTypeOf(shown.data.id).toEqualTypeOf<Session["id"]>();
  expectTypeOf(shown.data.status).toEqualTypeOf<Session["status"]>();
}
await komoju.POST("/api/v1/sessions", {
  body: { amount: 1000, currency: "JPY", return_url: "https://example.com/back" },
});
await komoju.request("get", "/api/v1/sessions/{id}", { params: { path: { id } } });
await komoju.request("GET", "/api/v1/sessions/{id}", { params: { path: { id } }, baseUrl: "https://komoju.com" });
await komoju.GET("/api/v1/payments");

// openapi-fetch's other per-call options are not read, so they do not compile.
// @ts-expect-error parseAs is openapi-fetch's, not read here
await komoju.GET("/api/v1/sessions/{id}", { params: { path: { id } }, parseAs: "text" });
// @ts-expect-error a per-call fetch is not read: the client's fetch sends every request
await komoju.GET("/api/v1/sessions/{id}", { params: { path: { id } }, fetch: globalThis.fetch });
// @ts-expect-error querySerializer is not read: queries follow Rack's rules
await komoju.GET("/api/v1/payments", { querySerializer: { array: { style: "form", explode: true } } });
// @ts-expect-error RequestInit fields are not read
await komoju.POST("/api/v1/sessions/{id}/cancel", { params: { path: { id } }, credentials: "include" });
// @ts-expect-error middleware is not offered
await komoju.GET("/api/v1/payments", { middleware: [] });
// @ts-expect-error a path the spec does not have
await komoju.GET("/api/v1/nowhere");
// @ts-expect-error a method the path does not have
await komoju.DELETE("/api/v1/sessions");
// @ts-expect-error the path parameter is required
await komoju.GET("/api/v1/sessions/{id}");
