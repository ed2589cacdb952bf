// One product in a list: name, SKU, pack and minimum, price with VAT, stock state, and the
// stepper that only offers quantities the product can be sold in.
import type { Product } from "../../shared/api/types";
import { decrement, increment, maxQuantity, normalize } from "../../shared/quantity";
import { useStore } from "../../shared/store";
import { cart, quantityOf, setQuantity } from "../cart";
import { useT } from "../state";
import { Money, Stepper } from "./ui";

function StockState({ product }: { product: Product }) {
  const t = useT();
  if (!product.in_stock || maxQuantity(product) === 0)
    return <span class="stock out">{t("out_of_stock")}</span>;
  if (product.low_stock) return <span class="stock low">{t("low_stock")}</span>;
  return <span class="stock ok">{t("in_stock")}</span>;
}

/** The cart's quantity of a product, one valid step per tap, or typed (made whole packs, at least
 * the minimum, at most the stock). */
export function CartStepper({ product, quantity }: { product: Product; quantity: number }) {
  const t = useT();
  return (
    <Stepper
      label={t("quantity_of", { name: product.name })}
      value={quantity}
      canPlus={increment(product, quantity) > quantity}
      minusLabel={t("decrease", { name: product.name })}
      plusLabel={t("increase", { name: product.name })}
      onMinus={() => setQuantity(product, decrement(product, quantity))}
      onPlus={() => setQuantity(product, increment(product, quantity))}
      onType={(typed) => setQuantity(product, normalize(product, typed))}
    />
  );
}

export function ProductCard({ product }: { product: Product }) {
  const t = useT();
  const quantity = quantityOf(useStore(cart), product.product_id);
  const sellable = maxQuantity(product) > 0;
  return (
    <li class="product">
      {product.thumbnail_url ? (
        <img src={product.thumbnail_url} alt="" width={64} height={64} loading="lazy" decoding="async" />
      ) : (
        <span class="thumb" aria-hidden="true">
          {product.name.slice(0, 1)}
        </span>
      )}
      <div class="info">
        <h2>{product.name}</h2>
        <p class="meta">
          <bdi>{product.sku}</bdi>
          {product.pack_size > 1 && <span>{t("pack_of", { n: product.pack_size })}</span>}
          {product.min_order_quantity > product.pack_size && (
            <span>{t("min_qty", { n: product.min_order_quantity })}</span>
          )}
        </p>
        <p class="price">
          <Money value={product.price_with_vat} /> <StockState product={product} />
        </p>
      </div>
      {quantity === 0 ? (
        <button
          type="button"
          class="add"
          disabled={!sellable}
          aria-label={`${t("add")} ${product.name}`}
          onClick={() => setQuantity(product, increment(product, 0))}
        >
          {t("add")}
        </button>
      ) : (
        <CartStepper product={product} quantity={quantity} />
      )}
    </li>
  );
}
