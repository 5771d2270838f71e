// Prism reports every failing branch of a oneOf (the card branch's "number is missing"
// for a bank transfer, say). These helpers keep the violations of the branch the
// caller meant, picked by the body's discriminator (`type`, `mode`), so a refusal
// names the parameter that is really wrong.
import type { SpecNode } from "../../../scripts/lib/openapi.js";
import { merged, resolve, type Schema } from "./spec.js";

/** One of Prism's findings, as its problem+json `validation` or its `sl-violations` header lists them. */
export interface Violation {
  location?: (string | number)[];
  code?: string | number;
  message?: string;
  severity?: string;
}

const DISCRIMINATORS = ["type", "mode"];
const STRUCTURAL = new Set(["type", "oneOf", "anyOf", "const", "not", "if", "enum"]);

interface Branch {
  properties: Record<string, SpecNode>;
  required: string[];
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;

/** The oneOf branch whose discriminator matches `value`, merged with the node's allOf. */
function branchFor(node: Schema, value: unknown): Branch | undefined {
  if (!node.oneOf || !value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const base = merged(node);
  for (const option of node.oneOf.map(resolve)) {
    const own = merged(option);
    const matches = DISCRIMINATORS.some((key) => {
      const rule = resolve(own.properties[key]);
      if (rule.const === undefined && !rule.enum) return false;
      const sent = field(value, key);
      if (sent === undefined) return !own.required.includes(key) && !base.required.includes(key);
      return rule.const === sent || rule.enum?.includes(sent);
    });
    if (matches)
      return { properties: { ...base.properties, ...own.properties }, required: [...base.required, ...own.required] };
  }
  return undefined;
}

/** Whether a violation of the body at `path` comes from the branch the caller chose. */
function fromChosenBranch(v: Violation, path: string[], body: unknown, schema: unknown): boolean {
  let node = resolve(schema);
  let value = body;
  for (let i = 0; ; i++) {
    const branch = branchFor(node, value);
    if (i === path.length) {
      if (!branch) return true;
      const named = /'([^']+)'/.exec(v.message ?? "")?.[1] ?? "";
      if (v.code === "required") return branch.required.includes(named);
      if (v.code === "additionalProperties") return !Object.hasOwn(branch.properties, named);
      return !STRUCTURAL.has(String(v.code));
    }
    const key = path[i]!;
    // A discriminator the chosen branch accepts: its violation came from another branch.
    if (branch && i === path.length - 1 && DISCRIMINATORS.includes(key)) return false;
    const properties = branch?.properties ?? merged(node).properties;
    node = resolve(Object.hasOwn(properties, key) ? properties[key] : {});
    value = field(value, key);
  }
}

/** Drops the violations that come from oneOf branches other than the one the body chose. */
export function relevantViolations(violations: Violation[], body: unknown, schema: unknown): Violation[] {
  const kept = violations.filter(
    (v) => v.location?.[0] !== "body" || fromChosenBranch(v, v.location.slice(1).map(String), body, schema),
  );
  return kept.length > 0 ? kept : violations;
}
