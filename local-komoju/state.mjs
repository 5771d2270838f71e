// The local KOMOJU's memory: sessions, their payments and the events their changes
// raise. Shapes come from the spec's examples (spec.mjs); this file holds only the
// state machine, which the spec does not describe. Prism has already refused any
// request the spec refuses, so bodies here are valid.
import { cardBrand, cardOutcome, THREE_D_SECURE_PASSWORD } from "./cards.mjs";
import { newId, paymentTime, sessionTime } from "./ids.mjs";
import { errorMessage, findExample, pick, sessionExamples, template } from "./spec.mjs";

/** A refusal in KOMOJU's terms: HTTP status, KOMOJU code, message, offending parameter. */
export class LocalKomojuError extends Error {
  constructor(status, code, message, param = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
  toJSON() {
    return { error: { code: this.code, message: this.message, param: this.param } };
  }
}

/** Offered when a session names no payment_types ("every type activated on your account"). */
export const DEFAULT_PAYMENT_TYPES = ["credit_card", "konbini", "bank_transfer"];
/** Oldest sessions (and their payments) are forgotten past this many. */
export const DEFAULT_MAX_SESSIONS = 50_000;
const MAX_EVENTS = 10_000;
const DAY = 86_400_000;

const notFound = () =>
  new LocalKomojuError(404, "not_found", errorMessage("not_found", "The requested resource could not be found."));

export class LocalKomoju {
  /**
   * @param {{ publicUrl: () => string, maxSessions?: number, onEvent?: (event: object) => void, now?: () => number }} options
   */
  constructor({ publicUrl, maxSessions = DEFAULT_MAX_SESSIONS, onEvent = () => {}, now = Date.now }) {
    this.publicUrl = publicUrl;
    this.maxSessions = maxSessions;
    this.onEvent = onEvent;
    this.now = now;
    /** Insertion order is age order, so the first key is the one to evict. */
    this.sessions = new Map();
    this.payments = new Map();
    this.customers = new Map();
    this.events = [];
    /** Per-session state the spec does not expose: expiry, scenario, a pending 3-D Secure payment. */
    this.private = new Map();
  }

  /**
   * The spec's session examples exist from the start, under their own ids, so the docs'
   * requests (GET /api/v1/sessions/1kv31jmdp5zweqlr2l2odr8wv) work here too; their
   * session_url points at this host instead of komoju.com.
   */
  seedExamples() {
    for (const session of sessionExamples()) {
      session.session_url = `${this.publicUrl()}/sessions/${session.id}`;
      this.sessions.set(session.id, session);
      this.private.set(session.id, { expiresAt: Infinity, scenario: undefined, challenge: null });
      if (session.payment) this.payments.set(session.payment.id, session.payment);
    }
  }

  createSession(body, { scenario } = {}) {
    let id = newId();
    while (this.sessions.has(id)) id = newId();
    const now = this.now();
    const session = {
      ...template("Session"),
      id,
      mode: body.mode ?? "payment",
      // The spec lets amount arrive as a string of digits; KOMOJU stores the number.
      ...(body.amount !== undefined && { amount: Number(body.amount) }),
      ...(body.currency !== undefined && { currency: body.currency }),
      payment: null,
      session_url: `${this.publicUrl()}/sessions/${id}`,
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
    this.sessions.set(id, session);
    this.private.set(id, { expiresAt: now + (body.expires_in_seconds ?? 86_400) * 1000, scenario, challenge: null });
    this.evict();
    return session;
  }

  evict() {
    while (this.sessions.size > this.maxSessions) {
      const [oldest, session] = this.sessions.entries().next().value;
      this.sessions.delete(oldest);
      this.private.delete(oldest);
      if (session.payment) this.payments.delete(session.payment.id);
    }
  }

  retrieveSession(id) {
    const session = this.sessions.get(id);
    if (!session) throw notFound();
    session.expired = this.now() > this.private.get(id).expiresAt;
    return session;
  }

  cancelSession(id) {
    const session = this.retrieveSession(id);
    if (session.status === "completed") {
      throw new LocalKomojuError(
        422,
        "not_cancellable",
        "This session is completed, so it can no longer be cancelled.",
      );
    }
    if (session.status === "pending") {
      session.status = "cancelled";
      session.cancelled_at = sessionTime(this.now());
    }
    return session;
  }

  /**
   * Pay: a Payment for the session, by the given method. Returns the spec's
   * SessionPayResponse, completed or pending behind 3-D Secure; a declined card throws.
   */
  paySession(id, body) {
    const session = this.retrieveSession(id);
    if (session.status !== "pending") {
      throw new LocalKomojuError(
        422,
        "unprocessable_entity",
        `This session is ${session.status}, so it can no longer be paid.`,
      );
    }
    if (session.expired)
      throw new LocalKomojuError(422, "unprocessable_entity", "This session has expired, so it can no longer be paid.");
    const details =
      typeof body.payment_details === "string"
        ? { type: "credit_card", token: body.payment_details }
        : body.payment_details;
    const offered = session.payment_methods.map((method) => method.type);
    if (!offered.includes(details.type)) {
      throw new LocalKomojuError(
        422,
        "invalid_payment_type",
        `${details.type} is not one of ${offered.join(", ")}`,
        "payment_details[type]",
      );
    }
    const capture = body.capture ?? session.payment_data?.capture ?? "auto";
    const state = this.private.get(id);

    if (details.type === "credit_card") {
      const outcome = state.scenario
        ? { decline: [state.scenario, `Test scenario ${state.scenario}.`] }
        : cardOutcome(cardNumber(details));
      if (outcome.decline) {
        const [code, message] = outcome.decline;
        this.decline(session, details, code, message);
      }
      if (outcome.challenge) {
        state.challenge = { details, capture };
        return { status: "pending", redirect_url: `${this.publicUrl()}/three_d_secure/${id}` };
      }
      return this.completeCard(session, details, capture);
    }
    return this.complete(
      session,
      this.newPayment(session, offlineStatus(details.type), paymentDetailsFor(details, this.now())),
    );
  }

  /** The customer answered the 3-D Secure challenge; the right password completes the payment. */
  answerChallenge(id, password) {
    const session = this.retrieveSession(id);
    const challenge = this.private.get(id).challenge;
    if (!challenge || session.status !== "pending") throw notFound();
    this.private.get(id).challenge = null;
    if (password !== THREE_D_SECURE_PASSWORD)
      this.decline(session, challenge.details, "card_declined", "3-D Secure authentication failed.");
    return this.completeCard(session, challenge.details, challenge.capture);
  }

  /**
   * A refused card: a failed payment and its event, and KOMOJU's answer, a 502 with the
   * processor's code (the session stays pending, so the customer can try again).
   */
  decline(session, details, code, message) {
    this.record("payment.failed", this.newPayment(session, "failed", cardDetails(details)), message);
    throw new LocalKomojuError(502, code, message);
  }

  completeCard(session, details, capture) {
    const status = capture === "manual" ? "authorized" : "captured";
    return this.complete(session, this.newPayment(session, status, cardDetails(details)));
  }

  complete(session, payment) {
    session.status = "completed";
    session.completed_at = sessionTime(this.now());
    session.payment = payment;
    this.record(payment.status === "captured" ? "payment.captured" : "payment.authorized", payment);
    return { status: "completed", redirect_url: returnUrl(session), payment };
  }

  newPayment(session, status, paymentDetails) {
    const now = this.now();
    const offline = status === "authorized" && paymentDetails.type !== "credit_card";
    const payment = {
      ...template("Payment"),
      id: newId(),
      status,
      amount: session.amount ?? 0,
      tax: 0,
      total: session.amount ?? 0,
      payment_method_fee: 0,
      amount_refunded: 0,
      currency: session.currency ?? "JPY",
      payment_details: paymentDetails,
      payment_deadline: offline ? paymentTime(now + 3 * DAY) : null,
      captured_at: status === "captured" ? paymentTime(now) : null,
      created_at: paymentTime(now),
      customer: null,
      description: null,
      external_order_num: session.payment_data?.external_order_num ?? null,
      metadata: session.metadata ?? {},
      locale: session.default_locale,
      session: session.id,
      refunds: [],
      refund_requests: [],
    };
    this.payments.set(payment.id, payment);
    // Payments made without a session are bounded by the same limit, oldest first.
    while (this.payments.size > this.maxSessions) this.payments.delete(this.payments.keys().next().value);
    return payment;
  }

  /**
   * Create a payment directly, with payment_details or a saved customer. 3-D Secure
   * challenge cards pass here: direct API payments authenticate through secure tokens,
   * which the local KOMOJU does not simulate.
   */
  createPayment(body) {
    const order = {
      id: null,
      amount: Number(body.amount),
      currency: body.currency,
      metadata: body.metadata ?? {},
      payment_data: { external_order_num: body.external_order_num ?? null },
      default_locale: body.locale ?? "ja",
    };
    // Create takes capture as a boolean (Pay takes "auto"/"manual").
    const capture = body.capture === false ? "manual" : "auto";
    const details = body.customer
      ? { ...this.customer(body.customer).source, token: "saved" }
      : typeof body.payment_details === "string"
        ? { type: "credit_card", token: body.payment_details }
        : body.payment_details;
    let payment;
    if (details.type === "credit_card") {
      const declined = cardOutcome(cardNumber(details)).decline;
      if (declined) this.decline(order, details, ...declined);
      payment = this.newPayment(
        order,
        capture === "manual" ? "authorized" : "captured",
        details.token === "saved" ? pick("CreditCardPaymentDetails", details) : cardDetails(details),
      );
    } else {
      payment = this.newPayment(order, offlineStatus(details.type), paymentDetailsFor(details, this.now()));
    }
    if (body.customer) payment.customer = body.customer;
    if (body.description !== undefined) payment.description = body.description;
    this.record(payment.status === "captured" ? "payment.captured" : "payment.authorized", payment);
    return payment;
  }

  payment(id) {
    const payment = this.payments.get(id);
    if (!payment) throw notFound();
    return payment;
  }

  /** KOMOJU's page envelope over `items` (newest first), for list operations. */
  page(items, query) {
    const page = Number(query.get("page") ?? 1);
    const perPage = Number(query.get("per_page") ?? 10);
    const data = items.slice((page - 1) * perPage, page * perPage);
    return {
      resource: "list",
      data,
      total: items.length,
      page,
      per_page: perPage,
      last_page: Math.ceil(items.length / perPage),
    };
  }

  listPayments(query) {
    const statuses = query.get("status")?.split(",");
    const after = query.get("start_time") && Date.parse(query.get("start_time"));
    const before = query.get("end_time") && Date.parse(query.get("end_time"));
    const matches = [...this.payments.values()]
      .reverse()
      .filter(
        (p) =>
          (!statuses || statuses.includes(p.status)) &&
          (!query.get("currency") || p.currency === query.get("currency")) &&
          (!query.get("external_order_num") || p.external_order_num === query.get("external_order_num")) &&
          (!after || Date.parse(p.created_at) >= after) &&
          (!before || Date.parse(p.created_at) <= before),
      );
    return this.page(matches, query);
  }

  updatePayment(id, body) {
    const payment = this.payment(id);
    if (body.description !== undefined) payment.description = body.description;
    if (body.metadata !== undefined) payment.metadata = body.metadata;
    this.record("payment.updated", payment);
    return payment;
  }

  /** Capture a card authorization, all of it or `amount` of it. */
  capturePayment(id, body) {
    const payment = this.payment(id);
    if (payment.status !== "authorized" || payment.payment_details?.type !== "credit_card") {
      throw new LocalKomojuError(
        422,
        "not_capturable",
        `This payment is ${payment.status} (${payment.payment_details?.type}); only an authorized card payment can be captured.`,
      );
    }
    if (body.amount !== undefined) {
      const amount = Number(body.amount);
      if (amount > payment.amount)
        throw new LocalKomojuError(
          422,
          "invalid_parameter",
          `amount (${amount}) is more than the authorized ${payment.amount}.`,
          "amount",
        );
      Object.assign(payment, { amount, total: amount + (payment.tax ?? 0) + (payment.payment_method_fee ?? 0) });
    }
    Object.assign(payment, { status: "captured", captured_at: paymentTime(this.now()) });
    this.record("payment.captured", payment);
    return payment;
  }

  cancelPayment(id) {
    const payment = this.payment(id);
    if (!["authorized", "pending"].includes(payment.status)) {
      throw new LocalKomojuError(
        422,
        "not_cancellable",
        `This payment is ${payment.status}; only a pending or authorized payment can be cancelled.`,
      );
    }
    payment.status = "cancelled";
    this.record("payment.cancelled", payment);
    return payment;
  }

  /** Refund all that remains, or `amount` of it; the payment is `refunded` once nothing remains. */
  refundPayment(id, body) {
    const payment = this.payment(id);
    if (payment.status !== "captured")
      throw new LocalKomojuError(
        422,
        "not_refundable",
        `This payment is ${payment.status}; only a captured payment can be refunded.`,
      );
    const remaining = payment.amount - (payment.amount_refunded ?? 0);
    const amount = body.amount === undefined ? remaining : Number(body.amount);
    if (amount <= 0 || amount > remaining)
      throw new LocalKomojuError(
        422,
        "invalid_parameter",
        `amount (${amount}) must be between 1 and the ${remaining} not yet refunded.`,
        "amount",
      );
    const refund = {
      ...findExample((o) => o.resource === "refund"),
      id: newId(),
      amount,
      currency: payment.currency,
      payment: payment.id,
      description: body.description ?? null,
      created_at: paymentTime(this.now()),
    };
    payment.refunds = [...(payment.refunds ?? []), refund];
    payment.amount_refunded = (payment.amount_refunded ?? 0) + amount;
    if (payment.amount_refunded === payment.amount) payment.status = "refunded";
    this.record("payment.refund.created", payment);
    if (payment.status === "refunded") this.record("payment.refunded", payment);
    return payment;
  }

  listEvents(query) {
    const after = query.get("start_time") && Date.parse(query.get("start_time"));
    const before = query.get("end_time") && Date.parse(query.get("end_time"));
    const matches = [...this.events]
      .reverse()
      .filter((e) => (!after || Date.parse(e.created_at) >= after) && (!before || Date.parse(e.created_at) <= before));
    return this.page(matches, query);
  }

  event(id) {
    const found = this.events.find((e) => e.id === id);
    if (!found) throw notFound();
    return found;
  }

  createCustomer(body) {
    let id = newId();
    while (this.customers.has(id)) id = newId();
    const customer = {
      ...template("Customer"),
      id,
      email: body.email ?? null,
      source: body.payment_details ? customerSource(body.payment_details) : null,
      metadata: body.metadata ?? {},
      created_at: paymentTime(this.now()),
    };
    this.customers.set(id, customer);
    while (this.customers.size > this.maxSessions) this.customers.delete(this.customers.keys().next().value);
    this.recordCustomer("customer.created", customer);
    return customer;
  }

  customer(id) {
    const customer = this.customers.get(id);
    if (!customer) throw notFound();
    return customer;
  }

  /** The list leaves out the saved card, as KOMOJU's does (`source: null`). */
  listCustomers(query) {
    return this.page(
      [...this.customers.values()].reverse().map((customer) => ({ ...customer, source: null })),
      query,
    );
  }

  updateCustomer(id, body) {
    const customer = this.customer(id);
    if (body.email !== undefined) customer.email = body.email;
    if (body.metadata !== undefined) customer.metadata = body.metadata;
    if (body.payment_details !== undefined) customer.source = customerSource(body.payment_details);
    this.recordCustomer("customer.updated", customer);
    return customer;
  }

  deleteCustomer(id) {
    const customer = this.customer(id);
    this.customers.delete(id);
    this.recordCustomer("customer.deleted", customer);
    return customer;
  }

  recordCustomer(type, customer) {
    const event = {
      ...template("PaymentEvent"),
      id: newId(),
      type,
      data: structuredClone(customer),
      created_at: paymentTime(this.now()),
      reason: null,
    };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    this.onEvent(event);
  }

  /** Local-only transitions (what the customer or the bank does, on demand). */
  transition(paymentId, action) {
    const payment = this.payment(paymentId);
    const allowed = { capture: ["authorized"], expire: ["authorized", "pending"], fail: ["authorized", "pending"] }[
      action
    ];
    if (!allowed) throw notFound();
    if (!allowed.includes(payment.status)) {
      throw new LocalKomojuError(
        422,
        `not_${action === "capture" ? "capturable" : action === "expire" ? "expirable" : "failable"}`,
        `This payment is ${payment.status}; ${action} needs ${allowed.join(" or ")}.`,
      );
    }
    const now = paymentTime(this.now());
    if (action === "capture") Object.assign(payment, { status: "captured", captured_at: now });
    if (action === "expire") payment.status = "expired";
    if (action === "fail") payment.status = "failed";
    this.record(`payment.${payment.status}`, payment);
    return payment;
  }

  /** Records an event for a change and hands it to the webhook sender. */
  record(type, payment, reason = null) {
    const event = {
      ...template("PaymentEvent"),
      id: newId(),
      type,
      data: structuredClone(payment),
      created_at: paymentTime(this.now()),
      reason,
    };
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    this.onEvent(event);
    return event;
  }
}

function offlineStatus(type) {
  return ["konbini", "bank_transfer", "pay_easy"].includes(type) ? "authorized" : "captured";
}

function returnUrl(session) {
  if (!session.return_url) return null;
  const url = new URL(session.return_url);
  url.searchParams.set("session_id", session.id);
  return url.href;
}

/** A customer's saved card: the masked card of a payment, in the spec's CustomerSource shape. */
function customerSource(details) {
  const card = cardDetails(typeof details === "string" ? { token: details } : details);
  return pick("CustomerSource", card);
}

/** A card as KOMOJU reports it: brand and last four digits, never the number. */
function cardDetails(details) {
  const base = template("CreditCardPaymentDetails");
  if (details.token || !details.number) return { ...base, ...(details.email ? { email: details.email } : {}) };
  const number = cardNumber(details);
  const year = Number(details.year);
  return {
    ...base,
    brand: cardBrand(number),
    last_four_digits: number.slice(-4),
    // The spec takes month and year as strings too (KOMOJU's hosted fields send them so).
    month: Number(details.month),
    year: year < 100 ? 2000 + year : year,
    email: details.email ?? null,
    name: details.name ?? null,
  };
}

/** The digits of a card number, which may arrive grouped with spaces as typed. */
function cardNumber(details) {
  return String(details.number ?? "").replace(/\s/g, "");
}

const DETAIL_SCHEMAS = {
  konbini: "KonbiniPaymentDetails",
  bank_transfer: "BankTransferPaymentDetails",
  pay_easy: "PayEasyPaymentDetails",
};

/** What a konbini, bank transfer, Pay-easy or other payment reports: the spec's example with the customer's data. */
function paymentDetailsFor(details, now) {
  const schema = DETAIL_SCHEMAS[details.type];
  if (!schema) return { type: details.type };
  const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
  const filled = { ...template(schema), ...pick(schema, details) };
  if (details.type === "konbini") Object.assign(filled, { confirmation_code: digits(10), receipt: digits(11) });
  // The example's instructions page is on komoju.com; there is none locally.
  delete filled.instructions_url;
  if (details.type === "bank_transfer") filled.payment_deadline = paymentTime(now + 3 * DAY);
  return filled;
}
