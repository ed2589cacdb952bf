// The quantities a product can be ordered in: 0 (not in the cart), or at least the minimum
// order quantity, a whole number of packs, and no more than the stock. The server checks the
// same rules (catalog/rules.line_problem); steppers here only ever offer valid values.

export interface QuantityRule {
  pack_size: number;
  min_order_quantity: number;
  stock_quantity: number;
}

function packs(rule: QuantityRule): number {
  return Math.max(1, Math.floor(rule.pack_size));
}

/** The smallest valid quantity above 0 (the minimum, rounded up to whole packs). */
export function firstStep(rule: QuantityRule): number {
  const pack = packs(rule);
  return Math.max(pack, Math.ceil(Math.max(1, rule.min_order_quantity) / pack) * pack);
}

/** The largest valid quantity the stock allows, or 0 when none. */
export function maxQuantity(rule: QuantityRule): number {
  const pack = packs(rule);
  const most = Math.floor(Math.max(0, rule.stock_quantity) / pack) * pack;
  return most >= firstStep(rule) ? most : 0;
}

export function isValid(rule: QuantityRule, quantity: number): boolean {
  if (quantity === 0) return true;
  return (
    Number.isInteger(quantity) &&
    quantity >= firstStep(rule) &&
    quantity % packs(rule) === 0 &&
    quantity <= maxQuantity(rule)
  );
}

/** One tap on "+": 0 → the minimum, then one more pack; never past the stock. */
export function increment(rule: QuantityRule, quantity: number): number {
  const next = quantity < firstStep(rule) ? firstStep(rule) : snapDown(rule, quantity) + packs(rule);
  return next <= maxQuantity(rule) ? next : snapDown(rule, Math.min(quantity, maxQuantity(rule)));
}

/** One tap on "−": one pack less, and from the minimum straight to 0. */
export function decrement(rule: QuantityRule, quantity: number): number {
  const next = snapDown(rule, quantity) === quantity ? quantity - packs(rule) : snapDown(rule, quantity);
  return next < firstStep(rule) ? 0 : Math.min(next, maxQuantity(rule));
}

/** A typed quantity made valid: whole packs (rounded up), at least the minimum, at most the stock. */
export function normalize(rule: QuantityRule, typed: number): number {
  if (!Number.isFinite(typed) || typed <= 0) return 0;
  const pack = packs(rule);
  const up = Math.max(firstStep(rule), Math.ceil(typed / pack) * pack);
  return Math.min(up, maxQuantity(rule));
}

function snapDown(rule: QuantityRule, quantity: number): number {
  const pack = packs(rule);
  return Math.floor(quantity / pack) * pack;
}
