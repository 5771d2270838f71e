import qs from "qs";
import { schemaValidator, violations } from "../../test/support/spec.js";

/**
 * Prism reads form bodies only partly: it drops `key[]` arrays and `key[field]` map
 * entries, and keeps one value of a repeated key. This closes that gap: parse the
 * body exactly as sent with qs (which reads Rack's bracket style) and validate the
 * result against the same schema with Ajv, coercing strings the way Rails does.
 */
export function formViolations(wireBody: string, schema: string): { parsed: unknown; violations: string[] } {
  const parsed = qs.parse(wireBody, { depth: 10, arrayLimit: 1000, parameterLimit: 10_000 });
  return { parsed, violations: violations(schemaValidator(schema, { coerceTypes: true }), parsed) };
}
