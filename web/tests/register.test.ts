import { describe, expect, it } from "vitest";
import { fitted, MAX_SIDE } from "../shared/upload";
import { LAST_WILAYA, wilayaName, wilayaOfRc } from "../shared/wilayas";

describe("a document's photo", () => {
  it("is sent with its long side at 2,000 px at most, in its proportions", () => {
    expect(fitted(4000, 3000)).toEqual({ width: MAX_SIDE, height: 1500 });
    expect(fitted(3000, 4000)).toEqual({ width: 1500, height: MAX_SIDE });
  });
  it("is never enlarged", () => {
    expect(fitted(1200, 900)).toEqual({ width: 1200, height: 900 });
  });
});

describe("wilayas", () => {
  it("are named in Arabic, and in French for French and English readers", () => {
    expect(wilayaName(16, "ar")).toBe("الجزائر");
    expect(wilayaName(31, "fr")).toBe("Oran");
    expect(wilayaName(58, "en")).toBe("El Meniaa");
  });
  it("that this table does not name are shown by their code alone", () => {
    expect(wilayaName(LAST_WILAYA, "ar")).toBeNull();
    expect(wilayaName(0, "fr")).toBeNull();
    expect(wilayaName(1.5, "fr")).toBeNull();
  });
  it("come from an RC number's first number, when it is a wilaya code", () => {
    expect(wilayaOfRc("16/00-0912345 B 19")).toBe(16);
    expect(wilayaOfRc(" 9/00-1234567B05")).toBe(9);
    expect(wilayaOfRc("٣١/٠٠-١٢٣٤٥٦٧ ب ٠٥")).toBe(31); // typed on an Arabic keypad
    expect(wilayaOfRc("99/00-0912345 B 19")).toBeNull();
    expect(wilayaOfRc("0912345 B 19")).toBeNull();
  });
});
