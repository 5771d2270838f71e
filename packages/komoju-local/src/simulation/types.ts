// The shapes the simulator holds. They are the spec's (each starts as a copy of one of
// its examples, and Prism checks every answer against the schemas), named here only as
// far as the state machine reads and writes them.

export type Metadata = Record<string, string>;

/** Payment details as a request sends them: a token, or an object of one payment type. */
export interface DetailsInput {
  type?: string;
  number?: string | number;
  month?: string | number;
  year?: string | number;
  email?: string;
  name?: string;
  token?: string;
  store?: string;
  [key: string]: unknown;
}

/** A request body after Prism checked it against the spec; the fields some handler reads. */
export interface Body {
  amount?: number | string;
  currency?: string;
  mode?: string;
  return_url?: string;
  default_locale?: string;
  payment_types?: string[];
  metadata?: Metadata;
  payment_data?: Record<string, unknown>;
  customer_id?: string;
  email?: string;
  external_customer_id?: string;
  line_items?: unknown[];
  expires_in_seconds?: number;
  payment_details?: string | DetailsInput;
  capture?: boolean | string;
  customer?: string;
  description?: string;
  external_order_num?: string;
  locale?: string;
}

export interface PaymentDetails {
  type: string;
  [key: string]: unknown;
}

export interface PaymentRecord {
  id: string;
  status: string;
  amount: number;
  tax: number;
  total: number;
  payment_method_fee: number;
  amount_refunded: number;
  currency: string;
  payment_details: PaymentDetails;
  payment_deadline: string | null;
  captured_at: string | null;
  created_at: string;
  customer: string | null;
  description: string | null;
  external_order_num: string | null;
  metadata: Metadata;
  session: string | null;
  refunds: Record<string, unknown>[];
  refund_requests: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface SessionRecord {
  id: string;
  status: string;
  amount?: number;
  currency?: string;
  payment: PaymentRecord | null;
  payment_methods: { type: string }[];
  session_url: string;
  return_url: string | null;
  default_locale: string;
  expired: boolean;
  cancelled_at: string | null;
  completed_at: string | null;
  merchant?: { name?: string };
  metadata: Metadata;
  payment_data: { capture?: string; external_order_num?: string | null; [key: string]: unknown };
  email?: string | null;
  [key: string]: unknown;
}

/** What a payment is made for: a session, or the order of a direct payment (no id). */
export interface Order {
  id: string | null;
  amount?: number | undefined;
  currency?: string | undefined;
  metadata?: Metadata;
  default_locale?: string;
  payment_data?: { external_order_num?: string | null };
}

/** Per-session state the spec does not expose: expiry, scenario, a pending 3-D Secure payment. */
export interface SessionState {
  expiresAt: number;
  scenario: string | undefined;
  challenge: { details: DetailsInput; capture: string } | null;
}

export interface CustomerRecord {
  id: string;
  email: string | null;
  source: Record<string, unknown> | null;
  metadata: Metadata;
  created_at: string;
  [key: string]: unknown;
}

export interface EventRecord {
  id: string;
  type: string;
  data: unknown;
  created_at: string;
  reason: string | null;
  [key: string]: unknown;
}
