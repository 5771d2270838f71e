import qs from "qs";

/**
 * Reads a Rack/Rails-style form body (`a[b]=1&list[]=x&list[]=y`) into nested objects
 * and arrays of strings, as KOMOJU's servers do. qs's defaults refuse keys that would
 * reach Object.prototype (`allowPrototypes: false`) and bound depth, arrays and parameters.
 */
export function parseRackForm(text: string): Record<string, unknown> {
  return qs.parse(text);
}
