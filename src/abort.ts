// One listener per caller's signal, however many calls share it: a listener per call
// would trip Node's MaxListenersExceededWarning past ten concurrent calls.
const abortCallbacks = /* @__PURE__ */ new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `callback` when `signal` aborts; returns what stops that. */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => undefined;
  let callbacks = abortCallbacks.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    abortCallbacks.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        for (const callback of set) callback();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  return () => void callbacks.delete(callback);
}

/** Waits `ms`, or less when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const unlisten = onAbort(signal, () => {
      clearTimeout(wait);
      resolve();
    });
    const wait = setTimeout(
      () => {
        unlisten();
        resolve();
      },
      signal?.aborted ? 0 : ms,
    );
  });
}
