import qs from "qs";

/**
 * Reads a Rack/Rails-style form body (`a[b]=1&list[]=x&list[]=y`) into nested objects
 * and arrays of strings, as KOMOJU's servers do. Every object is made without a
 * prototype, and qs's defaults drop keys that would reach one (`allowPrototypes: false`)
 * and bound depth, arrays and parameters: `__proto__[x]=…` never reaches Object.prototype.
 */
export function parseRackForm(text: string): Record<string, unknown> {
  return qs.parse(text, { plainObjects: true });
}
