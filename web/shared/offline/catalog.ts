// The catalog on the device: loaded in full once, then kept current with the API's delta feed
// (/v1/catalog/changes), so a shop browses and searches it offline. Searching reads an
// in-memory copy built once from IndexedDB.
import { api } from "../api/client";
import type { Product } from "../api/types";
import { fold, inNameOrder, matches } from "../search";
import { type CachedProduct, db, getValue, setValue } from "./db";

const CURSOR = "catalog.cursor";
export const SYNCED_AT = "catalog.synced_at";
/** The device's catalog in memory, read once from IndexedDB (each row has its folded text). */
let memory: CachedProduct[] | null = null;

function searchText(product: Product): string {
  const names = Object.values(product.names ?? {}).filter(Boolean);
  return fold([product.name, ...names, product.sku, product.barcode ?? ""].join(" "));
}

function cached(product: Product): CachedProduct {
  return {
    product_id: product.product_id,
    category_id: product.category_id,
    data: product,
    search: searchText(product),
  };
}

async function loadAll(): Promise<string> {
  // the cursor first: what changes while the pages load is replayed by the next delta
  const start = await api.GET("/v1/catalog/changes", {});
  if (!start.data) throw new Error("catalog cursor");
  const cursor = start.data.meta?.next_cursor ?? "";
  const products: Product[] = [];
  let page: string | null | undefined;
  do {
    const reply = await api.GET("/v1/products", {
      params: { query: { limit: 100, cursor: page ?? undefined } },
    });
    if (!reply.data) throw new Error("catalog page");
    products.push(...reply.data.data);
    page = reply.data.meta?.next_cursor;
  } while (page);
  const tx = (await db()).transaction("products", "readwrite");
  await tx.store.clear();
  await Promise.all([...products.map((product) => tx.store.put(cached(product))), tx.done]);
  return cursor;
}

async function follow(cursor: string): Promise<string | null> {
  let after = cursor;
  for (;;) {
    const reply = await api.GET("/v1/catalog/changes", { params: { query: { after, limit: 100 } } });
    if (reply.response.status === 400 || reply.response.status === 410) return null; // start again in full
    if (!reply.data) throw new Error("catalog changes");
    const changes = reply.data.data;
    const tx = (await db()).transaction("products", "readwrite");
    const writes = changes.map((change) =>
      change.removed || !change.product || !change.product.is_active
        ? tx.store.delete(change.product_id)
        : tx.store.put(cached(change.product)),
    );
    await Promise.all([...writes, tx.done]);
    after = reply.data.meta?.next_cursor ?? after;
    if (changes.length < 100) return after;
  }
}

/** Bring the device's catalog up to date; returns the number of products held. */
export async function syncCatalog(): Promise<number> {
  const cursor = await getValue<string>(CURSOR);
  const next = (cursor && (await follow(cursor))) || (await loadAll());
  await setValue(CURSOR, next);
  await setValue(SYNCED_AT, new Date().toISOString());
  memory = null; // read again at the next search
  return (await db()).count("products");
}

async function rows(): Promise<CachedProduct[]> {
  memory ??= inNameOrder(await (await db()).getAll("products"));
  return memory;
}

/** Whether the device holds a catalog at all (it is downloaded at the first sync online). */
export async function hasLocalCatalog(): Promise<boolean> {
  return (await rows()).length > 0;
}

/** The device's search: every word typed in a name (any language), the SKU or the barcode. */
export async function searchLocal(query: string, categories?: Set<string>, limit = 50): Promise<Product[]> {
  const found: Product[] = [];
  for (const row of await rows()) {
    if (categories && !categories.has(row.category_id)) continue;
    if (query && !matches(row.search, query)) continue;
    found.push(row.data as Product);
    if (found.length >= limit) break;
  }
  return found;
}

/** The device's copy of some products (for the cart and the price check of queued orders). */
export async function localProducts(ids: string[]): Promise<Map<string, Product>> {
  const database = await db();
  const rows = await Promise.all(ids.map((id) => database.get("products", id)));
  return new Map(rows.filter((row) => row !== undefined).map((row) => [row.product_id, row.data as Product]));
}

export async function byBarcode(code: string): Promise<Product | undefined> {
  const wanted = code.trim();
  const row = (await rows()).find((r) => {
    const product = r.data as Product;
    return product.barcode === wanted || product.sku === wanted;
  });
  return row?.data as Product | undefined;
}
