// The simulation's operations, by the spec's operationId. Simulating one more operation
// is one more entry: a handler in its resource's module, listed in that module's map.
import { customerHandlers } from "./customers.js";
import { eventHandlers } from "./events.js";
import { paymentHandlers } from "./payments.js";
import { refundRequestHandlers } from "./refund-requests.js";
import { sessionHandlers } from "./sessions.js";
import type { Handlers } from "./store.js";

export const HANDLERS: Handlers = {
  ...sessionHandlers,
  ...paymentHandlers,
  ...refundRequestHandlers,
  ...customerHandlers,
  ...eventHandlers,
};
