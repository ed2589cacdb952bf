import { describe, expect, it } from "vitest";
import { stampDuty, totals } from "../shared/money";
import vectors from "../shared/money.vectors.json";

// the same vectors are checked against the API's rules by tests/unit/test_money_vectors.py
describe("money rules agree with the API", () => {
  it.each(vectors.stamp_duty)("stamp duty on %i centimes is %i", (amount, duty) => {
    expect(stampDuty(amount as number)).toBe(duty);
  });
  it.each(vectors.totals)("totals of $lines.length lines", (row) => {
    expect(totals(row.lines)).toEqual({ subtotal: row.subtotal, vat_total: row.vat_total, total: row.total });
  });
});
