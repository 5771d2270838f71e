// Compile-time tests of the generated resources, checked by `tsc` in `npm test`: every
// `@ts-expect-error` must be an error and every unmarked line must compile.
import { expectTypeOf } from "vitest";
import type {
  Address,
  Currency,
  components,
  DatesAllowed,
  ErrorBody,
  ErrorDetail,
  // @ts-expect-error the spec's `Error` schema is exported as ErrorBody, so it never shadows the global Error
  Error as ErrorSchema,
  Event,
  KomojuClient,
  KomojuResources,
  LineItem,
  Locale,
  Metadata,
  OtherEvent,
  PageRequest,
  Payment,
  PaymentData,
  PaymentDetails,
  PaymentEvent,
  PaymentEventType,
  PaymentMethod,
  PaymentStatus,
  PaymentType,
  RequestOptions,
  Session,
  SessionCreateRequest,
  SessionMode,
  SessionPayRequest,
  SessionPayResponse,
  SessionStatus,
  SessionsResource,
} from "../../src/index.js";

type Schemas = components["schemas"];
declare const komoju: KomojuClient;
const url = "https://example.com/done";

// Every name src/types.ts exported by hand before it was generated is still the same type.
expectTypeOf<Session>().toEqualTypeOf<Schemas["Session"]>();
expectTypeOf<SessionStatus>().toEqualTypeOf<Schemas["SessionStatus"]>();
expectTypeOf<SessionMode>().toEqualTypeOf<Schemas["SessionMode"]>();
expectTypeOf<SessionCreateRequest>().toEqualTypeOf<Schemas["SessionCreateRequest"]>();
expectTypeOf<SessionPayRequest>().toEqualTypeOf<Schemas["SessionPayRequest"]>();
expectTypeOf<SessionPayResponse>().toEqualTypeOf<Schemas["SessionPayResponse"]>();
expectTypeOf<Payment>().toEqualTypeOf<Schemas["Payment"]>();
expectTypeOf<PaymentStatus>().toEqualTypeOf<Schemas["PaymentStatus"]>();
expectTypeOf<PaymentDetails>().toEqualTypeOf<Schemas["PaymentDetails"]>();
expectTypeOf<PaymentMethod>().toEqualTypeOf<Schemas["PaymentMethod"]>();
expectTypeOf<PaymentType>().toEqualTypeOf<Schemas["PaymentType"]>();
expectTypeOf<PaymentData>().toEqualTypeOf<Schemas["PaymentData"]>();
expectTypeOf<LineItem>().toEqualTypeOf<Schemas["LineItem"]>();
expectTypeOf<Currency>().toEqualTypeOf<Schemas["Currency"]>();
expectTypeOf<Locale>().toEqualTypeOf<Schemas["Locale"]>();
expectTypeOf<Metadata>().toEqualTypeOf<Schemas["Metadata"]>();
expectTypeOf<Address>().toEqualTypeOf<Schemas["Address"]>();
expectTypeOf<Event>().toEqualTypeOf<Schemas["Event"]>();
expectTypeOf<PaymentEvent>().toEqualTypeOf<Schemas["PaymentEvent"]>();
expectTypeOf<OtherEvent>().toEqualTypeOf<Schemas["OtherEvent"]>();
expectTypeOf<PaymentEventType>().toEqualTypeOf<Schemas["PaymentEventType"]>();
expectTypeOf<ErrorBody>().toEqualTypeOf<Schemas["Error"]>();
expectTypeOf<ErrorDetail>().toEqualTypeOf<Schemas["ErrorDetail"]>();
export type Unused = ErrorSchema;

// sessions.*: the signatures the hand-written helpers had, exactly.
expectTypeOf<KomojuClient["sessions"]>().toEqualTypeOf<SessionsResource>();
expectTypeOf<KomojuResources["sessions"]>().toEqualTypeOf<SessionsResource>();
expectTypeOf(komoju.sessions.create).parameters.toEqualTypeOf<[body: SessionCreateRequest, options?: RequestOptions]>();
expectTypeOf(komoju.sessions.create).returns.toEqualTypeOf<Promise<Session>>();
expectTypeOf(komoju.sessions.retrieve).parameters.toEqualTypeOf<[id: string, options?: RequestOptions]>();
expectTypeOf(komoju.sessions.retrieve).returns.toEqualTypeOf<Promise<Session>>();
expectTypeOf(komoju.sessions.cancel).parameters.toEqualTypeOf<[id: string, options?: RequestOptions]>();
expectTypeOf(komoju.sessions.cancel).returns.toEqualTypeOf<Promise<Session>>();
expectTypeOf(komoju.sessions.pay).parameters.toEqualTypeOf<
  [id: string, body: SessionPayRequest, options?: RequestOptions]
>();
expectTypeOf(komoju.sessions.pay).returns.toEqualTypeOf<Promise<SessionPayResponse>>();

export async function wrongCalls(): Promise<void> {
  // @ts-expect-error amount is a number or a string of digits, never a boolean
  await komoju.sessions.create({ amount: true, currency: "JPY", return_url: url });
  // @ts-expect-error currency is a closed union
  await komoju.sessions.create({ amount: 1000, currency: "XYZ", return_url: url });
  // @ts-expect-error unknown body field
  await komoju.sessions.create({ amount: 1000, currency: "JPY", return_url: url, amonut: 1 });
  // @ts-expect-error the body is required
  await komoju.sessions.create();
  // @ts-expect-error ids are strings
  await komoju.sessions.retrieve(42);
  // @ts-expect-error pay needs a body
  await komoju.sessions.pay("s1");
  // @ts-expect-error cancel takes no body: the second argument is the options
  await komoju.sessions.cancel("s1", { reason: "x" });
  // @ts-expect-error no such method
  await komoju.sessions.list();
  // @ts-expect-error options are typed
  await komoju.sessions.retrieve("s1", { timeoutMs: "5s" });
  const session = await komoju.sessions.retrieve("s1", { timeoutMs: 5_000, idempotencyKey: "k" });
  // @ts-expect-error `status` is a closed union
  session.status === "paid";
}

// The paginator: `await` gives the envelope, `for await` the items.
interface Widget {
  id: string;
}
interface WidgetList {
  resource: "list";
  data: Widget[];
  total: number;
  page: number;
  per_page: number;
  last_page: number;
}
declare const widgets: PageRequest<WidgetList>;
export async function walk(): Promise<void> {
  expectTypeOf(await widgets).toEqualTypeOf<WidgetList>();
  for await (const widget of widgets) {
    expectTypeOf(widget).toEqualTypeOf<Widget>();
    // @ts-expect-error items are widgets, not envelopes
    void widget.last_page;
  }
}
// @ts-expect-error only envelopes with a data array paginate
export type NotAList = PageRequest<{ items: Widget[] }>;

// Date-time query parameters take a Date too; optionality is kept.
expectTypeOf<DatesAllowed<{ start_time?: string; per_page?: number; q: string }, "start_time">>().toEqualTypeOf<{
  start_time?: string | Date;
  per_page?: number;
  q: string;
}>();
