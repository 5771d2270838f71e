import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { schemaValidator, spec, violations } from "../support/spec.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");
const seedShow = fixture("seed-show-session.json");
const seedCreate = fixture("seed-create-session.json");

describe("the seed's literal response JSON", () => {
  it("Show: validates against Session, although it has no amount or currency", () => {
    const session = JSON.parse(seedShow);
    expect(session).not.toHaveProperty("amount");
    expect(violations(schemaValidator("Session"), session)).toEqual([]);
  });

  it("Create: validates against Session", () => {
    expect(violations(schemaValidator("Session"), JSON.parse(seedCreate))).toEqual([]);
  });

  it("is carried verbatim by the spec's named examples", () => {
    expect(spec.components.examples?.SessionShowSeed?.value).toEqual(JSON.parse(seedShow));
    expect(spec.components.examples?.SessionCreateSeed?.value).toEqual(JSON.parse(seedCreate));
  });

  // The fixtures are copies of the seed page. Where the project's shared folder sits
  // beside the checkout (developers' machines and CI), prove they were copied verbatim.
  const seedPage = new URL("../../../shared/seed/komoju-sessions-api.txt", import.meta.url);
  it.runIf(existsSync(seedPage))("fixtures are verbatim copies of the seed page", () => {
    const page = readFileSync(seedPage, "utf8");
    expect(page).toContain(seedShow.trimEnd());
    expect(page).toContain(seedCreate.trimEnd());
  });
});
