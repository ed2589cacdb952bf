// The only module that knows the device's IndexedDB schema (versioned, typed with idb).
// Browser globals are touched lazily so the shell can be prerendered in Node.
import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Job } from "./rules";

export interface CachedProduct {
  product_id: string;
  category_id: string;
  /** the product as the API returned it */
  data: unknown;
  /** lower-cased, accent- and tashkeel-free names, SKU and barcode, for the offline search */
  search: string;
}

interface Schema extends DBSchema {
  kv: { key: string; value: unknown };
  products: { key: string; value: CachedProduct; indexes: { category: string } };
  outbox: { key: string; value: Job; indexes: { created: string } };
}

const NAME = "livrili";
const VERSION = 1;
let opening: Promise<IDBPDatabase<Schema>> | null = null;

export function db(): Promise<IDBPDatabase<Schema>> {
  opening ??= openDB<Schema>(NAME, VERSION, {
    upgrade(database) {
      database.createObjectStore("kv");
      database
        .createObjectStore("products", { keyPath: "product_id" })
        .createIndex("category", "category_id");
      database.createObjectStore("outbox", { keyPath: "id" }).createIndex("created", "created_at");
    },
  });
  return opening;
}

export async function getValue<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get("kv", key)) as T | undefined;
}

export async function setValue(key: string, value: unknown): Promise<void> {
  await (await db()).put("kv", value, key);
}

export async function deleteValue(key: string): Promise<void> {
  await (await db()).delete("kv", key);
}

/** Store `value` under `prefix.id`, keeping the `max` most recently stored of that prefix (the
 * order details seen, say): the device's storage stays bounded however long the app is used. */
export async function setBounded(prefix: string, id: string, value: unknown, max: number): Promise<void> {
  const tx = (await db()).transaction("kv", "readwrite");
  const listKey = `${prefix}.#recent`;
  const recent = ((await tx.store.get(listKey)) as string[] | undefined) ?? [];
  const next = [id, ...recent.filter((other) => other !== id)];
  await tx.store.put(value, `${prefix}.${id}`);
  for (const old of next.slice(max)) await tx.store.delete(`${prefix}.${old}`);
  await tx.store.put(next.slice(0, max), listKey);
  await tx.done;
}

/** Everything of the signed-in user (on log out, or another user signing in on this device);
 * the outbox goes only once it is empty, so a queued order is never dropped by a log out. */
export async function clearUserData(keepOutbox: boolean): Promise<void> {
  const database = await db();
  const stores = keepOutbox ? (["kv", "products"] as const) : (["kv", "products", "outbox"] as const);
  const tx = database.transaction([...stores], "readwrite");
  await Promise.all([...stores.map((store) => tx.objectStore(store).clear()), tx.done]);
}
