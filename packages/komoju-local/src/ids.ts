import { randomBytes } from "node:crypto";

/** A new KOMOJU-style ID: 25 lowercase letters and digits (128 random bits). */
export function newId(): string {
  return BigInt(`0x${randomBytes(16).toString("hex")}`)
    .toString(36)
    .padStart(25, "0")
    .slice(-25);
}

/** Sessions use milliseconds and Japan's offset (2020-08-17T18:03:53.000+09:00). */
export function sessionTime(ms = Date.now()): string {
  return `${new Date(ms + 9 * 3_600_000).toISOString().slice(0, 23)}+09:00`;
}

/** Payments and events use UTC to the second (2020-08-17T09:05:12Z). */
export function paymentTime(ms = Date.now()): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
