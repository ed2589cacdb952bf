import { describe, expect, it } from "vitest";
import { device } from "../shared/device";
import {
  capitalized,
  date,
  daysAfter,
  ltr,
  money,
  parseAmount,
  parseCount,
  phoneNumber,
  today,
} from "../shared/format";

// Intl puts bidi marks and no-break spaces in amounts: compare without them
const plain = (text: string) => text.replace(/[\u200e\u200f]/g, "").replace(/[\u00a0\u202f]/g, " ");

describe("money", () => {
  it("shows DA in Arabic with Latin digits and Algerian separators", () => {
    expect(plain(money(1234550, "ar"))).toBe("12.345,50 د.ج.");
  });
  it("shows DA in French with spaces between thousands", () => {
    expect(plain(money(1234550, "fr"))).toBe("12 345,50 DA");
  });
  it("never shows Arabic-Indic digits", () => {
    expect(money(987654321, "ar")).not.toMatch(/[\u0660-\u0669]/);
  });
  it("shows a statement's sign either way when asked, and none on a plain amount", () => {
    expect(plain(money(384576, "ar", true))).toBe("+3.845,76 د.ج.");
    expect(plain(money(-200000, "fr", true))).toBe("-2 000,00 DA");
    expect(plain(money(0, "fr", true))).toBe("0,00 DA");
    expect(plain(money(384576, "ar"))).toBe("3.845,76 د.ج.");
  });
});

describe("dates", () => {
  it("are shown in Algiers time (UTC+1)", () => {
    expect(date("2026-12-04T23:30:00Z", "fr", "day")).toContain("5 déc");
  });
  it("use Maghreb month names in Arabic", () => {
    expect(date("2026-01-15", "ar", "weekday")).toContain("جانفي");
  });
  it("a calendar date stays that day", () => {
    expect(date("2026-03-01", "en", "day")).toContain("1");
    expect(date("2026-03-01", "en", "day")).toContain("Mar");
  });
  it("today is the Algiers day", () => {
    expect(today(new Date("2026-12-04T23:30:00Z"))).toBe("2026-12-05");
  });
  it("counts calendar days across months and years", () => {
    expect(daysAfter("2026-12-30", 3)).toBe("2027-01-02");
    expect(daysAfter("2027-02-28", 1)).toBe("2027-03-01");
  });
  it("names a delivery day by its weekday", () => {
    expect(date("2026-12-12", "ar", "weekdayShort")).toContain("السبت");
    expect(date("2026-12-12", "fr", "weekdayShort")).toBe("samedi 12");
  });
});

describe("parseAmount", () => {
  it.each([
    ["1250", 125000],
    ["1 250,50", 125050],
    ["1250.5", 125050],
    ["12.345,50", 1234550],
    ["\u200f12.345,50 د.ج.\u200f", 1234550],
    ["12\u202f345,50 DA", 1234550],
    ["0", 0],
    ["١٢٢٠,٨٠", 122080], // an Arabic keypad's digits
    ["۱۲۲۰", 122000],
  ])("%s → %i centimes", (text, centimes) => {
    expect(parseAmount(text)).toBe(centimes);
  });
  it.each(["", "abc", "12,345,6789", "-5", "1.2.3,4"])("refuses %s", (text) => {
    expect(parseAmount(text)).toBeNull();
  });
});

describe("parseCount", () => {
  it.each([
    ["24", 24],
    [" 24 ", 24],
    ["٢٤", 24],
    ["0", 0],
  ])("%s → %i", (text, n) => {
    expect(parseCount(text)).toBe(n);
  });
  it.each(["", "2.5", "-3", "12 packs", "1e3"])("refuses %s", (text) => {
    expect(parseCount(text)).toBeNull();
  });
});

describe("phoneNumber", () => {
  it("shows a mobile as Algerians write it", () => {
    expect(phoneNumber("+213661234567")).toBe("0661 23 45 67");
  });
  it("shows a landline with its area code", () => {
    expect(phoneNumber("+21321234567")).toBe("021 23 45 67");
  });
  it("leaves a foreign number as stored", () => {
    expect(phoneNumber("+33612345678")).toBe("+33612345678");
  });
});

describe("ltr", () => {
  it("isolates a phone left to right inside an Arabic sentence", () => {
    expect(`إلى ${ltr("0661 23 45 67")}.`).toBe("إلى \u20660661 23 45 67\u2069.");
  });
});

describe("device", () => {
  it("names a session's browser and system as their owner knows them", () => {
    const android =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    expect(device(android)).toBe("Chrome · Android");
    const samsung =
      "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36";
    expect(device(samsung)).toBe("Samsung Internet · Android");
    const iphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    expect(device(iphone)).toBe("Safari · iOS");
    const windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    expect(device(windows)).toBe("Firefox · Windows");
  });
  it("names nothing for a client that is not a browser", () => {
    expect(device("python-requests/2.34.2")).toBeNull();
    expect(device(null)).toBeNull();
  });
});

describe("capitalized", () => {
  it("starts a standalone French day with a capital, and leaves Arabic as it is", () => {
    expect(capitalized(date("2026-12-09", "fr", "weekdayShort"), "fr")).toBe("Mercredi 9");
    expect(capitalized("الأربعاء 9", "ar")).toBe("الأربعاء 9");
  });
});
