// Sessions: created, shown, cancelled and paid (by the API or the checkout page), with
// 3-D Secure for the test cards that ask for it.
import { cardOutcome, challengeRefusal } from "../cards.js";
import { sessionTime } from "../ids.js";
import { pick, sessionExamples, template } from "../spec.js";
import { cardDetails, cardNumber, detailsOf, offlineStatus, paymentDetailsFor } from "./details.js";
import { decline, newPayment, recordNew } from "./payments.js";
import { type Handlers, LocalKomojuError, notFound, type State } from "./store.js";
import type { Body, DetailsInput, PaymentRecord, SessionRecord, SessionState } from "./types.js";

/** Offered when a session names no payment_types ("every type activated on your account"). */
export const DEFAULT_PAYMENT_TYPES = ["credit_card", "konbini", "bank_transfer"];

/** What pay answers (the spec's SessionPayResponse). */
export interface PayResult {
  status: "completed" | "pending";
  redirect_url: string | null;
  payment?: PaymentRecord;
}

/**
 * The spec's session examples exist from the start, under their own ids, so the docs'
 * requests (GET /api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv) work here too; their
 * session_url points at this host instead of komoju.com.
 */
export function seedExamples(store: State): void {
  for (const example of sessionExamples()) {
    const session = example as SessionRecord;
    session.session_url = `${store.publicUrl()}/sessions/${session.id}`;
    // Set directly rather than added: seeding never evicts, however small the bound.
    store.sessions.set(session.id, session);
    store.sessionStates.set(session.id, { expiresAt: Number.POSITIVE_INFINITY, scenario: undefined, challenge: null });
    if (session.payment) store.payments.set(session.payment.id, session.payment);
  }
}

export function createSession(store: State, body: Body, scenario?: string): SessionRecord {
  const id = store.freshId(store.sessions);
  const now = store.now();
  const session: SessionRecord = {
    ...template<SessionRecord>("Session"),
    id,
    mode: body.mode ?? "payment",
    // The spec lets amount arrive as a string of digits; KOMOJU stores the number.
    ...(body.amount !== undefined && { amount: Number(body.amount) }),
    ...(body.currency !== undefined && { currency: body.currency }),
    payment: null,
    session_url: `${store.publicUrl()}/sessions/${id}`,
    return_url: body.return_url ?? null,
    default_locale: body.default_locale ?? "ja",
    payment_methods: (body.payment_types ?? DEFAULT_PAYMENT_TYPES).map((type) => ({ type })),
    created_at: sessionTime(now),
    cancelled_at: null,
    completed_at: null,
    status: "pending",
    expired: false,
    merchant: template("Merchant"),
    metadata: body.metadata ?? {},
    payment_data: { capture: "auto", ...pick("SessionPaymentData", body.payment_data) },
    customer_id: body.customer_id ?? null,
    email: body.email ?? null,
    external_customer_id: body.external_customer_id ?? null,
    line_items: body.line_items ?? [],
  };
  store.addSession(session, { expiresAt: now + (body.expires_in_seconds ?? 86_400) * 1000, scenario, challenge: null });
  return session;
}

export function retrieveSession(store: State, id: string): SessionRecord {
  const session = store.sessions.get(id);
  const state = store.sessionStates.get(id);
  if (!session || !state) throw notFound();
  session.expired = store.now() > state.expiresAt;
  // The session holds its payment as it was when paid; the payment may have moved on since.
  if (session.payment) session.payment = store.payments.get(session.payment.id) ?? session.payment;
  return session;
}

function cancelSession(store: State, id: string): SessionRecord {
  const session = retrieveSession(store, id);
  if (session.status === "completed")
    throw new LocalKomojuError(422, "not_cancellable", "This session is completed, so it can no longer be cancelled.");
  if (session.status === "pending") {
    session.status = "cancelled";
    session.cancelled_at = sessionTime(store.now());
  }
  return session;
}

function returnUrl(session: SessionRecord): string | null {
  if (!session.return_url) return null;
  const url = new URL(session.return_url);
  url.searchParams.set("session_id", session.id);
  return url.href;
}

function complete(store: State, session: SessionRecord, payment: PaymentRecord): PayResult {
  session.status = "completed";
  session.completed_at = sessionTime(store.now());
  session.payment = payment;
  recordNew(store, payment);
  return { status: "completed", redirect_url: returnUrl(session), payment };
}

function completeCard(store: State, session: SessionRecord, details: DetailsInput, capture: string): PayResult {
  const status = capture === "manual" ? "authorized" : "captured";
  return complete(store, session, newPayment(store, session, status, cardDetails(details)));
}

/** The session, if it can still be paid with this payment type. */
function payable(store: State, id: string, details: DetailsInput): SessionRecord {
  const session = retrieveSession(store, id);
  if (session.status !== "pending")
    throw new LocalKomojuError(
      422,
      "unprocessable_entity",
      `This session is ${session.status}, so it can no longer be paid.`,
    );
  if (session.expired)
    throw new LocalKomojuError(422, "unprocessable_entity", "This session has expired, so it can no longer be paid.");
  const offered = session.payment_methods.map((method) => method.type);
  if (!offered.includes(details.type ?? ""))
    throw new LocalKomojuError(
      422,
      "invalid_payment_type",
      `${details.type} is not one of ${offered.join(", ")}`,
      "payment_details[type]",
    );
  return session;
}

/**
 * Pay: a Payment for the session, by the given method. Returns the spec's
 * SessionPayResponse, completed or pending behind 3-D Secure; a declined card throws.
 */
export function paySession(store: State, id: string, body: Body): PayResult {
  const details = detailsOf(body.payment_details);
  const session = payable(store, id, details);
  const capture = String(body.capture ?? session.payment_data?.capture ?? "auto");
  const state = store.sessionStates.get(id) as SessionState;
  if (details.type !== "credit_card") {
    const payment = newPayment(store, session, offlineStatus(details.type), paymentDetailsFor(details, store.now()));
    return complete(store, session, payment);
  }
  const outcome = state.scenario
    ? { decline: [state.scenario, `Test scenario ${state.scenario}.`] as [string, string] }
    : cardOutcome(cardNumber(details));
  if (outcome.decline) decline(store, session, details, ...outcome.decline);
  if ("challenge" in outcome && outcome.challenge) {
    state.challenge = { details, capture };
    return { status: "pending", redirect_url: `${store.publicUrl()}/three_d_secure/${id}` };
  }
  return completeCard(store, session, details, capture);
}

/** The customer answered the 3-D Secure challenge; the right password completes the payment. */
export function answerChallenge(store: State, id: string, password: string | null): PayResult {
  const session = retrieveSession(store, id);
  const state = store.sessionStates.get(id) as SessionState;
  const challenge = state.challenge;
  if (!challenge || session.status !== "pending") throw notFound();
  state.challenge = null;
  const refused = challengeRefusal(cardNumber(challenge.details), password);
  if (refused) decline(store, session, challenge.details, ...refused);
  return completeCard(store, session, challenge.details, challenge.capture);
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const sessionHandlers: Handlers = {
  createSession: {
    run: (store, { body, headers }) => createSession(store, body, header(headers["komoju-scenario"])),
  },
  getSession: { keys: ["sk", "pk"], run: (store, { params }) => retrieveSession(store, params.id!) },
  cancelSession: { run: (store, { params }) => cancelSession(store, params.id!) },
  paySession: { keys: ["sk", "pk"], run: (store, { params, body }) => paySession(store, params.id!, body) },
};
