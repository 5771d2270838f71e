// The local KOMOJU's memory, shared by the resource modules beside it: the maps, their
// bounds (oldest forgotten first), the clock, ids, and the events each change raises.
// The state machine of each resource is in its own module; Prism has already refused
// any request the spec refuses, so the bodies they read are valid.
//
// State changes only with an accepted answer. A handler runs on a Draft: a record it
// reads is copied into the draft, what it adds, deletes and records stays there, and the
// Store commits the draft only once the answer passed its check (api.ts: the spec's
// response schema, as Prism checks it). A throw, or an answer the spec refuses, leaves
// nothing behind; a client retrying a refused call cannot pile up payments. What is held
// is frozen, so a handler changing a record it did not read through its draft fails
// rather than changing state unseen.
//
// Memory is bounded in bytes, not only in counts: every PATCH keeps a copy of the
// resource in its event, so a count of events bounded nothing (60 PATCHes of one
// payment held 55 MiB; 10,000 events could hold 9 GiB). Each record and event is
// measured as the UTF-8 length of its JSON when stored or replaced (held.ts); past the
// budget (DEFAULT_MAX_HELD_BYTES, 64 MiB, or startLocalKomoju's maxHeldBytes) the sessions
// (with their payment), payments, customers and events least recently stored (created,
// changed or read) are forgotten first. One
// resource stays small: metadata keys up to 30 characters and values up to 2,000 (the
// spec, so Prism refuses more), and at most MAX_METADATA_KEYS keys (api.ts refuses more).
import type { IncomingHttpHeaders } from "node:http";
import { newId, paymentTime } from "../ids.js";
import { errorMessage, template } from "../spec.js";
import { Held, type Ledger } from "./held.js";
import type { Body, CustomerRecord, EventRecord, PaymentRecord, SessionRecord, SessionState } from "./types.js";

/**
 * A refusal in KOMOJU's terms: HTTP status, KOMOJU code, message, offending parameter;
 * `recorded` when what the handler stored before it is kept (a declined card's failed
 * payment and its event), else it is dropped with the draft.
 */
export class LocalKomojuError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly recorded = false,
  ) {
    super(message);
  }
  toJSON() {
    return { error: { code: this.code, message: this.message, param: this.param } };
  }
}

export const notFound = () =>
  new LocalKomojuError(404, "not_found", errorMessage("not_found", "The requested resource could not be found."));

/** Oldest sessions (and their payments) are forgotten past this many; payments and customers too. */
export const DEFAULT_MAX_SESSIONS = 50_000;
const MAX_EVENTS = 10_000;
/** What the store holds at most, as the JSON size of its records and events: 64 MiB. */
export const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;
/**
 * Keys one `metadata` may have. KOMOJU publishes limits on a key (30 characters) and a
 * value (2,000), which the spec's Metadata schema states and Prism enforces, but none on
 * their number; 50 keys, about 100 KB (300 KB in kanji), bound what one resource and each
 * of its events hold, where the 1 MiB body limit alone let one PATCH hold a megabyte per
 * event. The local KOMOJU's own bound (openapi/descriptions/errata.md).
 */
export const MAX_METADATA_KEYS = 50;

export interface StoreOptions {
  /** The front's URL, known once it listens: session_url and redirects point at it. */
  publicUrl: () => string;
  maxSessions?: number | undefined;
  /** What it holds at most, in bytes of JSON; the oldest records and events go first. */
  maxHeldBytes?: number | undefined;
  /** Each event as it is recorded (the webhook sender). */
  onEvent?: (event: EventRecord) => void;
  now?: () => number;
}

/** Which key a request was made with: secret (sk_…) or publishable (pk_…). */
export type KeyKind = "sk" | "pk";

/** What a handler gets of a request Prism let through. */
export interface SimulatorRequest {
  body: Body;
  /** Path parameters by the spec's names (`id`, `payment_id`). */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** The simulation of one operation: the keys that may call it (default: secret only) and its answer. */
export interface Handler {
  keys?: readonly KeyKind[];
  /** Answered 204 without a body (what `run` returns is not sent). */
  noContent?: boolean;
  run(state: State, request: SimulatorRequest): object;
}

/** Handlers by the spec's operationId; an operation without one answers that it is not simulated. */
export type Handlers = Record<string, Handler>;

/** Records by id, as a handler reads and changes them: a Map's own methods. */
export interface Records<V> {
  get(id: string): V | undefined;
  has(id: string): boolean;
  set(id: string, value: V): unknown;
  delete(id: string): boolean;
  values(): IterableIterator<V>;
  readonly size: number;
}

/** What the handlers read and change: a Draft of the Store, committed or dropped whole. */
export interface State {
  readonly publicUrl: () => string;
  readonly now: () => number;
  readonly sessions: Records<SessionRecord>;
  readonly sessionStates: Records<SessionState>;
  readonly payments: Records<PaymentRecord>;
  readonly customers: Records<CustomerRecord>;
  /** By id, oldest first. */
  readonly events: Records<EventRecord>;
  /** An id no entry of `map` has. */
  freshId(map: { has(id: string): boolean }): string;
  addSession(session: SessionRecord, state: SessionState): void;
  addPayment(payment: PaymentRecord): void;
  addCustomer(customer: CustomerRecord): void;
  /** Records an event for a change (a copy of `data` as it is now). */
  record(type: string, data: object, reason?: string | null): EventRecord;
}

/** What the handler threw: refused, with nothing kept unless the refusal is itself a record (a declined card). */
export function keepsState(error: unknown): boolean {
  return error instanceof LocalKomojuError && error.recorded;
}

const newEvent = (now: number, type: string, data: object, reason: string | null): EventRecord => ({
  ...template("PaymentEvent"),
  id: newId(),
  type,
  data: structuredClone(data),
  created_at: paymentTime(now),
  reason,
});

function freshIdIn(map: { has(id: string): boolean }): string {
  let id = newId();
  while (map.has(id)) id = newId();
  return id;
}

/**
 * One request's view of a Map of held records: a record read is copied into the draft
 * the first time (the handler changes the copy), a record added or deleted stays in the
 * draft; the held Map is untouched until the Store commits the draft.
 */
export class DraftRecords<V extends object> implements Records<V> {
  /** Every record read, added or deleted (undefined) through this draft. */
  readonly changes = new Map<string, V | undefined>();
  constructor(private readonly held: Map<string, V>) {}

  get(id: string): V | undefined {
    if (this.changes.has(id)) return this.changes.get(id);
    const found = this.held.get(id);
    if (found === undefined) return undefined;
    const copy = structuredClone(found);
    this.changes.set(id, copy);
    return copy;
  }
  has(id: string): boolean {
    return this.changes.has(id) ? this.changes.get(id) !== undefined : this.held.has(id);
  }
  set(id: string, value: V): this {
    this.changes.set(id, value);
    return this;
  }
  delete(id: string): boolean {
    const had = this.has(id);
    this.changes.set(id, undefined);
    return had;
  }
  get size(): number {
    let size = this.held.size;
    for (const [id, value] of this.changes) size += (value === undefined ? 0 : 1) - (this.held.has(id) ? 1 : 0);
    return size;
  }
  /** Held records not read yet are the held (frozen) ones: reading, not changing. */
  *values(): IterableIterator<V> {
    for (const [id, value] of this.held) {
      const changed = this.changes.has(id) ? this.changes.get(id) : value;
      if (changed !== undefined) yield changed;
    }
    for (const [id, value] of this.changes) if (value !== undefined && !this.held.has(id)) yield value;
  }
}

/** One request's changes to the Store, made on copies; `Store.commit` keeps them, or they are dropped. */
export class Draft implements State {
  readonly publicUrl: () => string;
  readonly now: () => number;
  readonly sessions: DraftRecords<SessionRecord>;
  readonly sessionStates: DraftRecords<SessionState>;
  readonly payments: DraftRecords<PaymentRecord>;
  readonly customers: DraftRecords<CustomerRecord>;
  readonly events: DraftRecords<EventRecord>;

  constructor(store: Store) {
    this.publicUrl = store.publicUrl;
    this.now = store.now;
    this.sessions = new DraftRecords(store.sessions);
    this.sessionStates = new DraftRecords(store.sessionStates);
    this.payments = new DraftRecords(store.payments);
    this.customers = new DraftRecords(store.customers);
    this.events = new DraftRecords(store.events);
  }

  freshId(map: { has(id: string): boolean }): string {
    return freshIdIn(map);
  }
  addSession(session: SessionRecord, state: SessionState): void {
    this.sessions.set(session.id, session);
    this.sessionStates.set(session.id, state);
  }
  addPayment(payment: PaymentRecord): void {
    this.payments.set(payment.id, payment);
  }
  addCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.id, customer);
  }
  record(type: string, data: object, reason: string | null = null): EventRecord {
    const event = newEvent(this.now(), type, data, reason);
    this.events.set(event.id, event);
    return event;
  }
}

/**
 * What the local KOMOJU holds. Handlers never change it: `transact` runs one on a Draft
 * and commits the draft only once its answer is accepted (`check` passes); a throw,
 * from the handler or from `check`, leaves the Store as it was. A direct call of a
 * method of `State` (seeding, benchmarks) commits at once.
 */
export class Store implements State {
  readonly publicUrl: () => string;
  readonly maxSessions: number;
  readonly maxHeldBytes: number;
  readonly now: () => number;
  private readonly onEvent: (event: EventRecord) => void;
  private readonly ledger: Ledger = { bytes: 0, next: 0 };
  /** In the order last stored (held.ts), so the first key is the one to evict. */
  readonly sessions = new Held<SessionRecord>(this.ledger);
  readonly sessionStates = new Held<SessionState>(this.ledger);
  readonly payments = new Held<PaymentRecord>(this.ledger);
  readonly customers = new Held<CustomerRecord>(this.ledger);
  readonly events = new Held<EventRecord>(this.ledger);

  constructor({
    publicUrl,
    maxSessions = DEFAULT_MAX_SESSIONS,
    maxHeldBytes = DEFAULT_MAX_HELD_BYTES,
    onEvent = () => {},
    now = Date.now,
  }: StoreOptions) {
    this.publicUrl = publicUrl;
    this.maxSessions = maxSessions;
    this.maxHeldBytes = maxHeldBytes;
    this.onEvent = onEvent;
    this.now = now;
  }

  /**
   * Runs `run` on a draft and keeps what it changed only if `check` accepts its answer;
   * a refusal the handler throws keeps nothing, unless it is a record itself (a
   * declined card's failed payment and its event, as KOMOJU keeps them).
   */
  transact<T>(run: (state: State) => T, check: (answer: T) => void = () => {}): T {
    const draft = new Draft(this);
    let answer: T;
    try {
      answer = run(draft);
    } catch (error) {
      if (keepsState(error)) this.commit(draft);
      throw error;
    }
    check(answer);
    this.commit(draft);
    return answer;
  }

  private commit(draft: Draft): void {
    const pairs = [
      [draft.sessions, this.sessions],
      [draft.sessionStates, this.sessionStates],
      [draft.payments, this.payments],
      [draft.customers, this.customers],
      [draft.events, this.events],
    ] as [DraftRecords<object>, Held<object>][];
    for (const [changed, held] of pairs)
      for (const [id, value] of changed.changes) value === undefined ? held.delete(id) : held.set(id, value);
    this.evict();
    for (const event of draft.events.changes.values()) if (event) this.onEvent(event);
  }

  freshId(map: { has(id: string): boolean }): string {
    return freshIdIn(map);
  }

  addSession(session: SessionRecord, state: SessionState): void {
    this.sessions.set(session.id, session);
    this.sessionStates.set(session.id, state);
    this.evict();
  }

  addPayment(payment: PaymentRecord): void {
    this.payments.set(payment.id, payment);
    this.evict();
  }

  addCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.id, customer);
    this.evict();
  }

  record(type: string, data: object, reason: string | null = null): EventRecord {
    const event = newEvent(this.now(), type, data, reason);
    this.events.set(event.id, event);
    this.evict();
    this.onEvent(event);
    return event;
  }

  /** The JSON size of every record and event held, as measured when each was stored. */
  get heldBytes(): number {
    return this.ledger.bytes;
  }

  /** Oldest first past each bound: the byte budget, then the counts. */
  private evict(): void {
    const kinds = [this.sessions, this.payments, this.customers, this.events] as Held<object>[];
    while (this.ledger.bytes > this.maxHeldBytes) {
      const oldest = kinds
        .map((held) => ({ held, found: held.oldest() }))
        .filter((kind) => kind.found)
        .sort((a, b) => a.found!.stamp - b.found!.stamp)[0];
      if (!oldest) break;
      this.forget(oldest.held, oldest.found!.id);
    }
    while (this.sessions.size > this.maxSessions) this.forget(this.sessions, this.sessions.keys().next().value!);
    while (this.payments.size > this.maxSessions) this.payments.delete(this.payments.keys().next().value!);
    while (this.customers.size > this.maxSessions) this.customers.delete(this.customers.keys().next().value!);
    while (this.events.size > MAX_EVENTS) this.events.delete(this.events.keys().next().value!);
  }

  /** Forgets a record; a session takes its state and its payment with it. */
  private forget(held: Held<object>, id: string): void {
    if (held === this.sessions) {
      const payment = this.sessions.get(id)?.payment;
      this.sessionStates.delete(id);
      if (payment) this.payments.delete(payment.id);
    }
    held.delete(id);
  }
}

/** KOMOJU's page envelope over `items` (newest first), for list operations. */
export function page<T>(items: T[], query: URLSearchParams) {
  const number = Number(query.get("page") ?? 1);
  const perPage = Number(query.get("per_page") ?? 10);
  return {
    resource: "list",
    data: items.slice((number - 1) * perPage, number * perPage),
    total: items.length,
    page: number,
    per_page: perPage,
    last_page: Math.ceil(items.length / perPage),
  };
}

/** Whether an ISO time falls within the query's start_time and end_time, when given. */
export function withinTimes(time: string, query: URLSearchParams): boolean {
  const after = Date.parse(query.get("start_time") ?? "");
  const before = Date.parse(query.get("end_time") ?? "");
  return (!after || Date.parse(time) >= after) && (!before || Date.parse(time) <= before);
}
