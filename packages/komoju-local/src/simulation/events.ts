// Events: every change the other resources record, listed newest first.
import { type Handlers, notFound, page, type State, withinTimes } from "./store.js";
import type { EventRecord } from "./types.js";

function listEvents(store: State, query: URLSearchParams) {
  return page(
    [...store.events.values()].reverse().filter((event) => withinTimes(event.created_at, query)),
    query,
  );
}

function getEvent(store: State, id: string): EventRecord {
  const found = store.events.get(id);
  if (!found) throw notFound();
  return found;
}

export const eventHandlers: Handlers = {
  listEvents: { run: (store, { query }) => listEvents(store, query) },
  getEvent: { run: (store, { params }) => getEvent(store, params.id!) },
};
