// What a test waits for: a list that grows (webhook deliveries, events), and a promise for
// the first item, present or to come, that matches. A wait that times out says what did
// arrive, so a failing test shows why.

export interface WaitOptions {
  /** How long to wait before rejecting. Default 10 s. */
  timeoutMs?: number;
}

export interface Watched<T> {
  /** Everything so far, oldest first: the same array, growing. */
  readonly items: T[];
  add(item: T): void;
  /** The first item (held or to come) that `matches`; rejects after `timeoutMs`, naming what arrived. */
  waitFor(matches: (item: T) => boolean, options: WaitOptions | undefined, what: string): Promise<T>;
  /** Rejects every pending wait (the server stopped). */
  close(reason: string): void;
}

interface Waiter<T> {
  matches: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
}

export function watched<T>(describe: (item: T) => string): Watched<T> {
  const items: T[] = [];
  const waiters = new Set<Waiter<T>>();
  return {
    items,
    add(item) {
      items.push(item);
      for (const waiter of waiters) if (waiter.matches(item)) waiter.resolve(item);
    },
    waitFor(matches, { timeoutMs = 10_000 } = {}, what) {
      const found = items.find(matches);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          const seen = items.length > 0 ? items.map(describe).join(", ") : "none";
          finish(() => reject(new Error(`No matching ${what} within ${timeoutMs} ms; so far: ${seen}.`)));
        }, timeoutMs);
        const finish = (then: () => void) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          then();
        };
        const waiter: Waiter<T> = {
          matches,
          resolve: (item) => finish(() => resolve(item)),
          reject: (error) => finish(() => reject(error)),
        };
        waiters.add(waiter);
      });
    },
    close(reason) {
      for (const waiter of waiters) waiter.reject(new Error(reason));
    },
  };
}
