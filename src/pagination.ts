import { KomojuInvalidResponseError } from "./errors.js";

/** KOMOJU's list envelope, as far as walking it needs. */
interface Envelope {
  data: readonly unknown[];
}

/**
 * What a paginated `list` returns. `await` it for one page (the envelope, as KOMOJU
 * sent it); `for await` over it for every item of every page, each next page fetched
 * only once the previous one is used up. The first page is requested at once.
 */
export type PageRequest<Page extends Envelope> = Promise<Page> & AsyncIterable<Page["data"][number]>;

/** Walks KOMOJU's page-number envelope `{ data, page, last_page, … }`; `fetchPage()` asks for the caller's page, `fetchPage(n)` for page n. */
export function paginate<Page extends Envelope>(
  fetchPage: (page?: number) => Promise<Page>,
  where: string,
): PageRequest<Page> {
  const first = fetchPage();
  // A walk may start after other awaits; a first page failing meanwhile must not become
  // an unhandled rejection. Whoever awaits or walks still gets the error.
  first.catch(() => undefined);
  async function* items() {
    let envelope: Page = await first;
    for (let page: number | undefined; ; ) {
      const { data, page: served, last_page: last } = envelope as Page & { page?: unknown; last_page?: unknown };
      if (!Array.isArray(data) || !Number.isInteger(served) || (served as number) < 1 || !Number.isInteger(last)) {
        throw new KomojuInvalidResponseError(
          `${where}: the response is not KOMOJU's list envelope (data, page, last_page).`,
          "invalid_list",
        );
      }
      yield* data;
      // Counted from the first page served, never from later answers, so a server that
      // repeats a page number cannot make the walk loop.
      page = (page ?? (served as number)) + 1;
      if (data.length === 0 || page > (last as number)) return;
      envelope = await fetchPage(page);
    }
  }
  return Object.assign(first, { [Symbol.asyncIterator]: items });
}
