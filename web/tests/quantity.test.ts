import { describe, expect, it } from "vitest";
import { decrement, firstStep, increment, isValid, maxQuantity, normalize } from "../shared/quantity";

const cartons = { pack_size: 6, min_order_quantity: 12, stock_quantity: 40 };

describe("quantity steps", () => {
  it("the first tap gives the minimum, in whole packs", () => {
    expect(increment(cartons, 0)).toBe(12);
    expect(firstStep({ pack_size: 6, min_order_quantity: 1, stock_quantity: 40 })).toBe(6);
  });
  it("then one pack per tap, never past the stock", () => {
    expect(increment(cartons, 12)).toBe(18);
    expect(increment(cartons, 36)).toBe(36); // 42 > 40
    expect(maxQuantity(cartons)).toBe(36);
  });
  it("minus from the minimum removes the line", () => {
    expect(decrement(cartons, 18)).toBe(12);
    expect(decrement(cartons, 12)).toBe(0);
  });
  it("a quantity off the pack snaps to it", () => {
    expect(decrement(cartons, 20)).toBe(18);
    expect(increment(cartons, 20)).toBe(24);
  });
  it("nothing can be added when the stock is under the minimum", () => {
    const low = { ...cartons, stock_quantity: 10 };
    expect(maxQuantity(low)).toBe(0);
    expect(increment(low, 0)).toBe(0);
  });
  it("every value the stepper offers is valid", () => {
    let q = 0;
    const seen = [];
    for (let i = 0; i < 10; i++) {
      q = increment(cartons, q);
      seen.push(q);
      expect(isValid(cartons, q)).toBe(true);
    }
    expect(seen.at(-1)).toBe(36);
  });
  it("a typed quantity is rounded up to packs and capped by the stock", () => {
    expect(normalize(cartons, 13)).toBe(18);
    expect(normalize(cartons, 5)).toBe(12);
    expect(normalize(cartons, 100)).toBe(36);
    expect(normalize(cartons, -3)).toBe(0);
  });
});
