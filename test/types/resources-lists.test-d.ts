// Compile-time tests of the generated paginated lists: `await` gives the
// page envelope, `for await` the items, and the query takes Dates for its date-times.
import { expectTypeOf } from "vitest";
import type {
  Customer,
  CustomerList,
  Event,
  EventList,
  KomojuClient,
  Payment,
  PaymentList,
  RequestOptions,
} from "../../src/index.js";

declare const komoju: KomojuClient;

export async function lists(): Promise<void> {
  expectTypeOf(await komoju.payments.list()).toEqualTypeOf<PaymentList>();
  expectTypeOf(await komoju.customers.list({ per_page: 10 })).toEqualTypeOf<CustomerList>();
  expectTypeOf(await komoju.events.list({ page: 2 })).toEqualTypeOf<EventList>();
  for await (const payment of komoju.payments.list({
    per_page: 50,
    start_time: new Date(),
    end_time: "2026-01-01T00:00:00Z",
  })) {
    expectTypeOf(payment).toEqualTypeOf<Payment>();
  }
  for await (const customer of komoju.customers.list()) expectTypeOf(customer).toEqualTypeOf<Customer>();
  for await (const event of komoju.events.list()) expectTypeOf(event).toEqualTypeOf<Event>();

  // @ts-expect-error per_page is a number
  komoju.payments.list({ per_page: "50" });
  // @ts-expect-error no such query parameter
  komoju.payments.list({ perPage: 50 });
  // @ts-expect-error start_time is a date-time string or a Date
  komoju.events.list({ start_time: 1700000000 });
  // @ts-expect-error a page is an envelope, not a list of payments
  const first: Payment[] = await komoju.payments.list();
  void first;
}

// Operations without a body return void; the others their 2xx body.
expectTypeOf(komoju.payments.refundRequest).returns.toEqualTypeOf<Promise<void>>();
expectTypeOf(komoju.payments.cancel).parameters.toEqualTypeOf<[id: string, options?: RequestOptions]>();
expectTypeOf(komoju.payments.cancel).returns.toEqualTypeOf<Promise<Payment>>();
