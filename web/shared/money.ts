// Money rules the screens show before the server decides, ported from the API's pure rules
// (orders/rules.totals, credit/rules.stamp_duty) and checked against the same vectors
// (money.vectors.json, read by the web unit tests and tests/unit/test_money_vectors.py).

/** `rate`% of an amount, rounded half up to the centime. */
export function percent(centimes: number, rate: number): number {
  return Math.floor((centimes * rate + 50) / 100);
}

export interface Totals {
  subtotal: number;
  vat_total: number;
  total: number;
}

/** VAT once per rate on the sum of that rate's lines, as the invoice computes it. */
export function totals(lines: Iterable<{ quantity: number; unit_price: number; vat_rate: number }>): Totals {
  const bases = new Map<number, number>();
  for (const line of lines)
    bases.set(line.vat_rate, (bases.get(line.vat_rate) ?? 0) + line.quantity * line.unit_price);
  let subtotal = 0;
  let vat = 0;
  for (const [rate, base] of bases) {
    subtotal += base;
    vat += percent(base, rate);
  }
  return { subtotal, vat_total: vat, total: subtotal + vat };
}

/** Droit de timbre on a cash payment: none up to 300 DA, then per started 100 DA 1 / 1.5 / 2 DA
 * by the bracket of the whole amount (30,000 and 100,000 DA), never less than 5 DA. */
export function stampDuty(centimes: number): number {
  if (centimes <= 300_00) return 0;
  const brackets = Math.ceil(centimes / 100_00);
  const perBracket = centimes <= 30_000_00 ? 100 : centimes <= 100_000_00 ? 150 : 200;
  return Math.max(brackets * perBracket, 5_00);
}

/** The cash that changes hands for `centimes` paid in cash: the amount and its stamp duty on top. */
export function withStampDuty(centimes: number): number {
  return centimes + stampDuty(centimes);
}
