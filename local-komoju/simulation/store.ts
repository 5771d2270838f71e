// The local KOMOJU's memory, shared by the resource modules beside it: the maps, their
// bounds (oldest forgotten first), the clock, ids, and the events each change raises.
// The state machine of each resource is in its own module; Prism has already refused
// any request the spec refuses, so the bodies they read are valid.
import type { IncomingHttpHeaders } from "node:http";
import { newId, paymentTime } from "../ids.js";
import { errorMessage, template } from "../spec.js";
import type { Body, CustomerRecord, EventRecord, PaymentRecord, SessionRecord, SessionState } from "./types.js";

/** A refusal in KOMOJU's terms: HTTP status, KOMOJU code, message, offending parameter. */
export class LocalKomojuError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
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

export interface StoreOptions {
  /** The front's URL, known once it listens: session_url and redirects point at it. */
  publicUrl: () => string;
  maxSessions?: number | undefined;
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
  run(store: Store, request: SimulatorRequest): object;
}

/** Handlers by the spec's operationId; an operation without one answers that it is not simulated. */
export type Handlers = Record<string, Handler>;

export class Store {
  readonly publicUrl: () => string;
  readonly maxSessions: number;
  readonly now: () => number;
  private readonly onEvent: (event: EventRecord) => void;
  /** Insertion order is age order, so the first key is the one to evict. */
  readonly sessions = new Map<string, SessionRecord>();
  readonly sessionStates = new Map<string, SessionState>();
  readonly payments = new Map<string, PaymentRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly events: EventRecord[] = [];

  constructor({ publicUrl, maxSessions = DEFAULT_MAX_SESSIONS, onEvent = () => {}, now = Date.now }: StoreOptions) {
    this.publicUrl = publicUrl;
    this.maxSessions = maxSessions;
    this.onEvent = onEvent;
    this.now = now;
  }

  /** An id no entry of `map` has. */
  freshId(map: Map<string, unknown>): string {
    let id = newId();
    while (map.has(id)) id = newId();
    return id;
  }

  addSession(session: SessionRecord, state: SessionState): void {
    this.sessions.set(session.id, session);
    this.sessionStates.set(session.id, state);
    while (this.sessions.size > this.maxSessions) {
      const [oldest, evicted] = this.sessions.entries().next().value!;
      this.sessions.delete(oldest);
      this.sessionStates.delete(oldest);
      if (evicted.payment) this.payments.delete(evicted.payment.id);
    }
  }

  /** Payments made without a session are bounded by the same limit, oldest first. */
  addPayment(payment: PaymentRecord): void {
    this.payments.set(payment.id, payment);
    while (this.payments.size > this.maxSessions) this.payments.delete(this.payments.keys().next().value!);
  }

  addCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.id, customer);
    while (this.customers.size > this.maxSessions) this.customers.delete(this.customers.keys().next().value!);
  }

  /** Records an event for a change (a copy of `data` as it is now) and hands it to the webhook sender. */
  record(type: string, data: object, reason: string | null = null): EventRecord {
    const event: EventRecord = {
      ...template("PaymentEvent"),
      id: newId(),
      type,
      data: structuredClone(data),
      created_at: paymentTime(this.now()),
      reason,
    };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    this.onEvent(event);
    return event;
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
