// The cart, kept on the device across restarts: product snapshots so it shows offline, and the
// problems the server reported for each line of a refused order until the line is changed.
import type { LineProblem, Product } from "../shared/api/types";
import { totals } from "../shared/money";
import { createStore } from "../shared/store";

export interface CartLine {
  product: Product;
  quantity: number;
  problem?: LineProblem;
}

export interface Cart {
  lines: CartLine[];
  payment_method: "cash_on_delivery" | "credit";
  notes: string;
  /** the delivery day asked for (YYYY-MM-DD); none: as soon as the depot can */
  requested_date?: string;
  /** a problem with the order as a whole (credit) */
  problem?: LineProblem;
}

const KEY = "livrili.cart";
const EMPTY: Cart = { lines: [], payment_method: "cash_on_delivery", notes: "" };

function load(): Cart {
  try {
    const text = typeof localStorage === "undefined" ? null : localStorage.getItem(KEY);
    return text ? { ...EMPTY, ...(JSON.parse(text) as Cart) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

export const cart = createStore<Cart>(load());
cart.subscribe((value) => localStorage.setItem(KEY, JSON.stringify(value)));

export function quantityOf(value: Cart, productId: string): number {
  return value.lines.find((line) => line.product.product_id === productId)?.quantity ?? 0;
}

/** Set a product's quantity (0 removes it); a changed line loses its old problem. */
export function setQuantity(product: Product, quantity: number): void {
  cart.set((current) => {
    const others = current.lines.filter((line) => line.product.product_id !== product.product_id);
    const index = current.lines.findIndex((line) => line.product.product_id === product.product_id);
    if (quantity <= 0) return { ...current, lines: others };
    const line: CartLine = { product, quantity };
    const lines = [...others];
    lines.splice(index < 0 ? lines.length : index, 0, line);
    return { ...current, lines };
  });
}

/** A line's mark "no longer sold" put by the catalog's sync (not the server: its field says so). */
const FROM_CATALOG = "catalog";
const WITHDRAWN: LineProblem = { field: FROM_CATALOG, code: "inactive_product" };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The lines' products as the device's catalog has them right after a sync (`sold`: the cart's
 * products it holds, by id; it holds every product sold): today's price, stock and packs, not
 * those of the day each was added. A product no longer sold keeps its line, marked, for the shop
 * to remove in one tap; sold again, the mark goes. */
export function refreshCart(sold: Map<string, Product>): void {
  cart.set((current) => {
    let changed = false;
    const lines = current.lines.map((line) => {
      const now = sold.get(line.product.product_id);
      const product = now ?? line.product;
      // the mark is this refresh's own: a reason the server gave stays (it knows better than a
      // catalog a few seconds behind), and goes when the shop changes the line
      const own = !line.problem || line.problem.field === FROM_CATALOG;
      const problem = !own ? line.problem : now?.is_active ? undefined : WITHDRAWN;
      if (same(product, line.product) && same(problem, line.problem)) return line;
      changed = true;
      return { ...line, product, problem };
    });
    return changed ? { ...current, lines } : current;
  });
}

export function clearCart(): void {
  cart.set(EMPTY);
}

export function estimate(value: Cart): ReturnType<typeof totals> {
  return totals(
    value.lines.map((line) => ({
      quantity: line.quantity,
      unit_price: line.product.base_price,
      vat_rate: line.product.vat_rate,
    })),
  );
}

/** Put the server's reasons next to their lines (fields like `items.2.quantity`). */
export function showProblems(problems: LineProblem[], sentIds: string[]): void {
  cart.set((current) => {
    const byProduct = new Map<string, LineProblem>();
    let whole: LineProblem | undefined;
    for (const problem of problems) {
      const index = /^items\.(\d+)\./.exec(problem.field)?.[1];
      const productId = index !== undefined ? sentIds[Number(index)] : undefined;
      if (productId) byProduct.set(productId, problem);
      else whole = problem;
    }
    const lines = current.lines.map((line) => {
      const problem = byProduct.get(line.product.product_id);
      return problem ? { ...line, problem } : { product: line.product, quantity: line.quantity };
    });
    return whole ? { ...current, lines, problem: whole } : { ...current, lines, problem: undefined };
  });
}
