// Prism reports every failing branch of a oneOf (the card branch's "number is missing"
// for a bank transfer, say). These helpers keep the violations of the branch the
// caller meant, picked by the body's discriminator (`type`, `mode`), so a refusal
// names the parameter that is really wrong.
import { resolve } from "./spec.mjs";

const DISCRIMINATORS = ["type", "mode"];
const STRUCTURAL = new Set(["type", "oneOf", "anyOf", "const", "not", "if", "enum"]);

function merged(node) {
  const parts = [node, ...(node.allOf ?? []).map(resolve)];
  return {
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/** The oneOf branch whose discriminator matches `value`, merged with the node's allOf. */
function branchFor(node, value) {
  if (!node.oneOf || !value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const base = merged(node);
  for (const option of node.oneOf.map(resolve)) {
    const own = merged(option);
    const matches = DISCRIMINATORS.some((key) => {
      const rule = resolve(own.properties[key]);
      if (rule.const === undefined && !rule.enum) return false;
      if (value[key] === undefined) return !own.required.includes(key) && !base.required.includes(key);
      return rule.const === value[key] || rule.enum?.includes(value[key]);
    });
    if (matches)
      return { properties: { ...base.properties, ...own.properties }, required: [...base.required, ...own.required] };
  }
  return undefined;
}

/** Drops the violations that come from oneOf branches other than the one the body chose. */
export function relevantViolations(violations, body, schema) {
  const kept = violations.filter((v) => {
    if (v.location?.[0] !== "body") return true;
    const path = v.location.slice(1).map(String);
    let node = resolve(schema);
    let value = body;
    for (let i = 0; ; i++) {
      const branch = branchFor(node, value);
      if (i === path.length) {
        if (!branch) return true;
        const named = /'([^']+)'/.exec(v.message ?? "")?.[1] ?? "";
        if (v.code === "required") return branch.required.includes(named);
        if (v.code === "additionalProperties") return !(named in branch.properties);
        return !STRUCTURAL.has(String(v.code));
      }
      // A discriminator the chosen branch accepts: its violation came from another branch.
      if (branch && i === path.length - 1 && DISCRIMINATORS.includes(path[i])) return false;
      const properties = branch?.properties ?? merged(node).properties;
      node = resolve(properties[path[i]] ?? {});
      value = value?.[path[i]];
    }
  });
  return kept.length > 0 ? kept : violations;
}
