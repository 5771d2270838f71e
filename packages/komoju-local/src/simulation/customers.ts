// Customers: a saved card (masked) and metadata, each change an event.
import { paymentTime } from "../ids.js";
import { template } from "../spec.js";
import { customerSource } from "./details.js";
import { type Handlers, notFound, page, type State } from "./store.js";
import type { Body, CustomerRecord } from "./types.js";

function createCustomer(store: State, body: Body): CustomerRecord {
  const customer: CustomerRecord = {
    ...template<CustomerRecord>("Customer"),
    id: store.freshId(store.customers),
    email: body.email ?? null,
    source: body.payment_details ? customerSource(body.payment_details) : null,
    metadata: body.metadata ?? {},
    created_at: paymentTime(store.now()),
  };
  store.addCustomer(customer);
  store.record("customer.created", customer);
  return customer;
}

export function getCustomer(store: State, id: string): CustomerRecord {
  const customer = store.customers.get(id);
  if (!customer) throw notFound();
  return customer;
}

/** The list leaves out the saved card, as KOMOJU's does (`source: null`). */
function listCustomers(store: State, query: URLSearchParams) {
  const newestFirst = [...store.customers.values()].reverse();
  return page(
    newestFirst.map((customer) => ({ ...customer, source: null })),
    query,
  );
}

function updateCustomer(store: State, id: string, body: Body): CustomerRecord {
  const customer = getCustomer(store, id);
  if (body.email !== undefined) customer.email = body.email;
  if (body.metadata !== undefined) customer.metadata = body.metadata;
  if (body.payment_details !== undefined) customer.source = customerSource(body.payment_details);
  store.record("customer.updated", customer);
  return customer;
}

function deleteCustomer(store: State, id: string): CustomerRecord {
  const customer = getCustomer(store, id);
  store.customers.delete(id);
  store.record("customer.deleted", customer);
  return customer;
}

export const customerHandlers: Handlers = {
  createCustomer: { run: (store, { body }) => createCustomer(store, body) },
  listCustomers: { run: (store, { query }) => listCustomers(store, query) },
  getCustomer: { run: (store, { params }) => getCustomer(store, params.id!) },
  updateCustomer: { run: (store, { params, body }) => updateCustomer(store, params.id!, body) },
  deleteCustomer: { run: (store, { params }) => deleteCustomer(store, params.id!) },
};
