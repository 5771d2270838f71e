import { afterEach, describe, expect, it, vi } from "vitest";
import { KomojuInvalidResponseError, KomojuNotFoundError, KomojuServerError } from "../../src/errors.js";
import type { Routes } from "../../src/resource-methods.js";
import { resourcesFor, type Seen, startServer } from "./server.js";

const ROUTES: Routes = { widgets: { list: { method: "GET", path: "/api/v1/widgets", query: true, paginated: true } } };
let server: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(() => server?.close());

/** KOMOJU's envelope over `total` numbered items, `per_page` (default 2) to a page. */
function listOf(total: number) {
  return ({ url }: Seen) => {
    const query = new URL(url, "http://x").searchParams;
    const page = Number(query.get("page") ?? 1);
    const perPage = Number(query.get("per_page") ?? 2);
    const data = Array.from({ length: total }, (_, i) => ({ id: `w${i + 1}` })).slice(
      (page - 1) * perPage,
      page * perPage,
    );
    return {
      json: {
        resource: "list",
        data,
        total,
        page,
        per_page: perPage,
        last_page: Math.max(1, Math.ceil(total / perPage)),
      },
    };
  };
}

async function widgets(reply: (seen: Seen) => { status?: number; json?: unknown; text?: string }) {
  server = await startServer(reply);
  return resourcesFor(ROUTES, { secretKey: "sk_test_pages", baseUrl: server.baseUrl, maxRetries: 0 }).widgets!;
}

const pagesAsked = () => server!.seen.map(({ url }) => new URL(url, "http://x").searchParams.get("page"));

describe("list: one page with await, every item with for await", () => {
  it("await resolves the requested page, envelope and all, in one request", async () => {
    const api = await widgets(listOf(5));
    const page = await api.list!({ per_page: 2, page: 2 });
    expect(page).toEqual({
      resource: "list",
      data: [{ id: "w3" }, { id: "w4" }],
      total: 5,
      page: 2,
      per_page: 2,
      last_page: 3,
    });
    expect(server!.seen.map((s) => s.url)).toEqual(["/api/v1/widgets?per_page=2&page=2"]);
  });

  it("for await walks every page in order, keeping the query, and stops at last_page", async () => {
    const api = await widgets(listOf(5));
    const ids: string[] = [];
    for await (const item of api.list!({ per_page: 2, start_time: new Date("2026-01-01T00:00:00Z") }))
      ids.push((item as { id: string }).id);
    expect(ids).toEqual(["w1", "w2", "w3", "w4", "w5"]);
    expect(server!.seen.map((s) => s.url)).toEqual([
      "/api/v1/widgets?per_page=2&start_time=2026-01-01T00%3A00%3A00.000Z",
      "/api/v1/widgets?per_page=2&start_time=2026-01-01T00%3A00%3A00.000Z&page=2",
      "/api/v1/widgets?per_page=2&start_time=2026-01-01T00%3A00%3A00.000Z&page=3",
    ]);
  });

  it("a full last page ends the walk without asking for an empty one", async () => {
    const api = await widgets(listOf(4));
    const ids = [];
    for await (const item of api.list!()) ids.push(item);
    expect(ids).toHaveLength(4);
    expect(pagesAsked()).toEqual([null, "2"]);
  });

  it("an empty list yields nothing after one request", async () => {
    const api = await widgets(listOf(0));
    const ids = [];
    for await (const item of api.list!()) ids.push(item);
    expect(ids).toEqual([]);
    expect(server!.seen).toHaveLength(1);
  });

  it("starts from the caller's page", async () => {
    const api = await widgets(listOf(5));
    const ids = [];
    for await (const item of api.list!({ page: 2 })) ids.push((item as { id: string }).id);
    expect(ids).toEqual(["w3", "w4", "w5"]);
    expect(pagesAsked()).toEqual(["2", "3"]);
  });

  it("fetches the next page only when the previous one is used up", async () => {
    const api = await widgets(listOf(6));
    const iterator = api.list!()[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ id: "w1" });
    expect((await iterator.next()).value).toEqual({ id: "w2" });
    expect(server!.seen).toHaveLength(1);
    expect((await iterator.next()).value).toEqual({ id: "w3" });
    expect(server!.seen).toHaveLength(2);
  });

  it("break stops fetching", async () => {
    const api = await widgets(listOf(100));
    const ids = [];
    for await (const item of api.list!({ per_page: 10 })) {
      ids.push(item);
      if (ids.length === 15) break;
    }
    expect(ids).toHaveLength(15);
    expect(pagesAsked()).toEqual([null, "2"]);
  });

  it("a failure mid-walk surfaces as the typed error, after the items already read", async () => {
    const pages = listOf(6);
    const api = await widgets((seen) =>
      seen.url.includes("page=2")
        ? { status: 500, json: { error: { code: "internal_server_error", message: "boom", param: null } } }
        : pages(seen),
    );
    const ids: unknown[] = [];
    const walk = async () => {
      for await (const item of api.list!()) ids.push(item);
    };
    const error = await walk().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KomojuServerError);
    expect(error).toMatchObject({ status: 500, code: "internal_server_error" });
    expect(ids).toHaveLength(2);
  });

  it("a failing first page rejects both the await and the walk with the typed error", async () => {
    const api = await widgets(() => ({
      status: 404,
      json: { error: { code: "not_found", message: "no", param: null } },
    }));
    await expect(api.list!()).rejects.toBeInstanceOf(KomojuNotFoundError);
    const walk = async () => {
      for await (const _ of api.list!()) throw new Error("no item expected");
    };
    await expect(walk()).rejects.toBeInstanceOf(KomojuNotFoundError);
  });

  it("a first page failing before the walk starts is no unhandled rejection; the walk gets the error", async () => {
    const api = await widgets(() => ({
      status: 404,
      json: { error: { code: "not_found", message: "no", param: null } },
    }));
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      const pages = api.list!();
      // Waits for the request, not a fixed time, so a loaded machine cannot fail it; then
      // gives the 404 a moment to arrive and reject while nothing awaits the page.
      await vi.waitFor(() => expect(server!.seen).toHaveLength(1), { timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const walk = async () => {
        for await (const _ of pages) void _;
      };
      await expect(walk()).rejects.toBeInstanceOf(KomojuNotFoundError);
      await expect(pages).rejects.toBeInstanceOf(KomojuNotFoundError);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  it("a page that is not KOMOJU's envelope ends the walk with KomojuInvalidResponseError", async () => {
    const cases: [unknown, string][] = [
      [[{ id: "w1" }], "unexpected_body"],
      [{ data: "x", page: 1, last_page: 1 }, "invalid_list"],
      [{ data: [], page: "1", last_page: 1 }, "invalid_list"],
      [{ data: [{ id: "w1" }], page: 1 }, "invalid_list"],
    ];
    for (const [json, code] of cases) {
      const api = await widgets(() => ({ json }));
      const walk = async () => {
        for await (const _ of api.list!()) void _;
      };
      await expect(walk()).rejects.toMatchObject({ name: KomojuInvalidResponseError.name, code });
      await server!.close();
      server = undefined;
    }
  });

  it("a server repeating its page numbers cannot make the walk loop", async () => {
    const api = await widgets(() => ({
      json: { resource: "list", data: [{ id: "same" }], total: 3, page: 1, per_page: 1, last_page: 3 },
    }));
    const ids = [];
    for await (const item of api.list!()) ids.push(item);
    expect(ids).toHaveLength(3);
    expect(pagesAsked()).toEqual([null, "2", "3"]);
  });

  it("a server naming page 0 or below cannot make the walk loop either", async () => {
    for (const page of [0, -1]) {
      const api = await widgets(() => ({
        json: { resource: "list", data: [{ id: "w" }], total: 9, page, per_page: 1, last_page: 9 },
      }));
      const walk = async () => {
        for await (const _ of api.list!()) void _;
      };
      await expect(walk()).rejects.toMatchObject({ name: KomojuInvalidResponseError.name, code: "invalid_list" });
      expect(pagesAsked()).toEqual([null]);
      await server!.close();
      server = undefined;
    }
  });
});
