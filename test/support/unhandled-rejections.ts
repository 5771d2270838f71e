import { afterAll, beforeAll, expect } from "vitest";

/** The unhandled rejections seen while the calling file (or describe block) runs. */
export function recordUnhandledRejections(): unknown[] {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => void process.on("unhandledRejection", record));
  afterAll(() => void process.off("unhandledRejection", record));
  return unhandled;
}

/** Fails the file if any promise was left to reject unhandled, including one that rejects just after the last test. */
export function expectNoUnhandledRejections(): void {
  const unhandled = recordUnhandledRejections();
  afterAll(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
  });
}
