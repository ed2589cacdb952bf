import { describe, expect, it } from "vitest";
import { fold, inNameOrder, matches } from "../shared/search";

describe("offline search folding", () => {
  it("ignores tashkeel, alef forms, ta marbuta and case", () => {
    expect(fold("زَيْت الزيتونة")).toBe(fold("زيت الزيتونه"));
    expect(fold("أرز")).toBe(fold("ارز"));
    expect(matches(fold("Huile d'olive زيت زيتون"), "زيت")).toBe(true);
  });
  it("ignores French accents", () => {
    expect(matches(fold("Café moulu 250 g"), "cafe")).toBe(true);
    expect(matches(fold("Crème fraîche"), "CREME fraiche")).toBe(true);
  });
  it("needs every word, in any order", () => {
    const text = fold("Lait UHT entier 1 L");
    expect(matches(text, "entier lait")).toBe(true);
    expect(matches(text, "lait demi")).toBe(false);
  });
});

describe("the device's list", () => {
  it("is in name order, Arabic in its alphabet's order, whatever order the rows were stored in", () => {
    const rows = ["زيت زيتون", "أرز بسمتي", "حليب", "بسكويت", "Café moulu"].map((name) => ({
      search: fold(name),
    }));
    expect(inNameOrder(rows).map((row) => row.search)).toEqual(
      ["Café moulu", "أرز بسمتي", "بسكويت", "حليب", "زيت زيتون"].map(fold),
    );
  });
});
