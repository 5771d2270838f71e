// A named type for every schema of the spec, generated from it.
export type * from "../generated/schemas.js";
