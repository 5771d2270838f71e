// Sample events, as `komoju-local trigger` sends them: one for every event type the spec
// documents (the members of its Event schema's oneOf, whose `type` is a const or an enum),
// each with the `data` its member declares: a Payment or a Customer from the spec's
// examples, in the state the event names, or, for the types whose data the spec leaves
// open, the data of the spec's example event of that type (`{}` if it has none).
import { schemaName } from "../../../scripts/lib/openapi.js";
import { newId, paymentTime } from "./ids.js";
import { findExample, resolve, type Schema, template } from "./spec.js";

/** A sample event: the shape of the spec's Event schema. */
export interface SampleEvent {
  id: string;
  type: string;
  resource: "event";
  data: Record<string, unknown>;
  created_at: string;
  reason: string | null;
  [key: string]: unknown;
}

// The payment's status after each payment event (a partial refund leaves it captured).
const PAYMENT_STATUS: Record<string, string> = {
  authorized: "authorized",
  captured: "captured",
  updated: "captured",
  expired: "expired",
  cancelled: "cancelled",
  "refund.created": "captured",
  refunded: "refunded",
  failed: "failed",
  "marked.as.fraud": "captured",
};

/** The event types a member of the Event union takes (its `type`'s const or enum, through $refs and anyOf). */
function typesOf(node: Schema): string[] {
  if (typeof node.const === "string") return [node.const];
  if (node.enum) return node.enum.map(String);
  return (node.anyOf ?? node.oneOf ?? []).flatMap((option) => typesOf(resolve(option)));
}

/** Each documented event type with the schema its `data` follows. */
function catalogue(): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const union = resolve({ $ref: "#/components/schemas/Event" });
  for (const member of (union.oneOf ?? []).map(resolve)) {
    for (const type of typesOf(resolve(member.properties?.type))) found.set(type, member.properties?.data);
  }
  return found;
}

let known: Map<string, unknown> | undefined;

/** Every event type the spec documents, in the order of its Event union. */
export function eventTypes(): string[] {
  known ??= catalogue();
  return [...known.keys()];
}

function paymentData(type: string, now: number): Record<string, unknown> {
  const status = PAYMENT_STATUS[type.replace(/^(submerchant\.)?payment\./, "").replace(/^payment\./, "")];
  const data = template("Payment");
  const captured = status === "captured" || status === "refunded";
  return Object.assign(data, {
    id: newId(),
    ...(status ? { status } : {}),
    created_at: paymentTime(now),
    captured_at: captured ? paymentTime(now) : null,
  });
}

function dataFor(type: string, schema: unknown, now: number): Record<string, unknown> {
  const name = schemaName(schema);
  if (name === "Payment") return paymentData(type, now);
  if (name) {
    const data = template(name);
    return Object.assign(data, { id: newId() }, "created_at" in data ? { created_at: paymentTime(now) } : {});
  }
  const example = findExample((o) => o.resource === "event" && o.type === type);
  return (example?.data as Record<string, unknown> | undefined) ?? {};
}

/** A fresh sample of the event type (new ids, the time `now`); throws for a type the spec does not document. */
export function sampleEvent(type: string, now = Date.now()): SampleEvent {
  known ??= catalogue();
  if (!known.has(type)) throw new RangeError(`Unknown event type ${type}. Known: ${eventTypes().join(", ")}.`);
  return {
    id: newId(),
    type,
    resource: "event",
    data: dataFor(type, known.get(type), now),
    created_at: paymentTime(now),
    reason: null,
  };
}
