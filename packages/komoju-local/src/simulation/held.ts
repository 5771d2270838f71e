// What the local KOMOJU holds, in bytes. Each record is measured as the UTF-8 length of
// its JSON when it is stored or replaced, and frozen: a handler changes copies (store.ts),
// never these. The store reads the total and each map's oldest record to evict.

/** The running total of every Held map of one store, and the age stamp of the next record. */
export interface Ledger {
  bytes: number;
  next: number;
}

/** The size of a record as held: its JSON's UTF-8 length (the heap holds a small multiple of it). */
export const measure = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? "");

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/**
 * A Map of held records, frozen as they are stored, their bytes on the ledger, in the
 * order they were last stored: a record replaced (changed, or read by a request) moves to
 * the end, so the first is the one least recently used, the first to forget.
 */
export class Held<V extends object> extends Map<string, V> {
  private sizes: Map<string, { bytes: number; stamp: number }> | undefined;

  constructor(private readonly ledger: Ledger) {
    super();
  }

  override set(id: string, value: V): this {
    this.sizes ??= new Map();
    const before = this.sizes.get(id);
    const bytes = measure(value);
    this.ledger.bytes += bytes - (before?.bytes ?? 0);
    this.sizes.delete(id);
    this.sizes.set(id, { bytes, stamp: this.ledger.next++ });
    super.delete(id);
    return super.set(id, deepFreeze(value));
  }

  override delete(id: string): boolean {
    const before = this.sizes?.get(id);
    if (before) {
      this.ledger.bytes -= before.bytes;
      this.sizes?.delete(id);
    }
    return super.delete(id);
  }

  override clear(): void {
    for (const id of [...this.keys()]) this.delete(id);
  }

  /** The least recently stored record's id and stamp, if any. */
  oldest(): { id: string; stamp: number } | undefined {
    const first = this.sizes?.entries().next();
    return first && !first.done ? { id: first.value[0], stamp: first.value[1].stamp } : undefined;
  }
}
