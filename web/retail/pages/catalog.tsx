// The shop's home: search as you type (on the device at once, then the server's search when
// online), categories, and the products with their steppers.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../../shared/api/client";
import { takeEarly } from "../../shared/api/early";
import type { Category, CategoryPage, Product, ProductPage } from "../../shared/api/types";
import { byBarcode, hasLocalCatalog, localProducts, searchLocal } from "../../shared/offline/catalog";
import { getValue, setValue } from "../../shared/offline/db";
import { appendNew, nextNotShown, refreshed } from "../../shared/paging";
import { useStore } from "../../shared/store";
import { Announcements } from "../components/announcements";
import { Layout } from "../components/layout";
import { ProductCard } from "../components/product";
import { Empty, Loading, More, Unread } from "../components/ui";
import { i18n, online, syncedAt, useT } from "../state";
import { screenShown } from "../sync";

const CATEGORIES = "catalog.categories";
const PAGE = 50;

const NO_CATEGORIES: Category[] = [];
/** The cards of a new list drawn at once: a phone's screenful (the rest follows in the next task,
 * so a mid-range phone is never held 100 ms drawing 50 cards before it answers a tap). */
const AT_ONCE = 12;

/** After the list on screen: the server's next page, more of the device's matches, or nothing. */
type Rest = { cursor: string } | "device" | null;
const productId = (product: Product) => product.product_id;

function listQuery(query: string, category: string | null) {
  return { limit: PAGE, ...(query.trim() ? { q: query.trim() } : {}), ...(category ? { category } : {}) };
}

/** The shop's categories: null until the device or the server has said (the row of chips keeps
 * its place meanwhile, so the list below does not jump when they come). */
function useCategories(): Category[] | null {
  const [list, setList] = useState<Category[] | null>(null);
  const { lang } = useStore(i18n);
  useEffect(() => {
    let live = true;
    void getValue<Category[]>(CATEGORIES).then((saved) => live && saved && setList(saved));
    // a signed-in start's boot script may have asked already
    void takeEarly<CategoryPage>("/v1/categories", lang)
      .then(async (early) => early ?? (await api.GET("/v1/categories", {})).data)
      .then((page) => {
        if (!page) throw new Error("the categories did not come");
        if (!live) return;
        setList(page.data);
        void setValue(CATEGORIES, page.data);
      })
      .catch(() => live && setList((saved) => saved ?? []));
    return () => {
      live = false;
    };
  }, [lang]);
  return list;
}

export default function Catalog() {
  const t = useT();
  const isOnline = useStore(online);
  const synced = useStore(syncedAt);
  const { lang } = useStore(i18n);
  const known = useCategories();
  const categories = known ?? NO_CATEGORIES;
  const [query, setQuery] = useState("");
  const [category, setCategory] = useState<string | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [fromDevice, setFromDevice] = useState(false);
  // what comes after the list on screen: the server's next page, the device's next matches, or nothing
  const [rest, setRest] = useState<Rest>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // offline before the first sync: the catalog is not on the phone yet (not "nothing matches")
  const [noDeviceCatalog, setNoDeviceCatalog] = useState(false);
  // the server could not give this search's list and the device had none to show: say so
  const [failed, setFailed] = useState(false);
  const [retries, setRetries] = useState(0);
  // a new search's list is drawn in two steps: its first cards, then, in the task after, the rest
  const [firstCards, setFirstCards] = useState(false);
  const asked = useRef(0);
  const shownFor = useRef(0); // the search whose list is on screen
  const drawnFor = useRef<string | null>(null); // its terms (the same terms asked again keep their cards)
  const fromServer = useRef<string | null>(null); // the search whose list on screen the server gave
  const top = categories.filter((c) => !c.parent_id);
  const inCategory = useMemo(() => {
    if (!category) return undefined;
    return new Set([
      category,
      ...categories.filter((c) => c.parent_id === category).map((c) => c.category_id),
    ]);
  }, [category, categories]);

  useEffect(() => {
    const key = `${query.trim()}|${category ?? ""}`;
    // a list the server gave for this same search stays: offline, or back online, or the
    // categories read again — the shop keeps the place it scrolled to (a sync refreshes the
    // products on it in place, below)
    if (fromServer.current === key) return;
    fromServer.current = null; // the list on screen is about to be this search's
    const ask = ++asked.current;
    let cancelled = false;
    setFailed(false);
    // the device answers at once; online, its list only stands in until the server's
    void searchLocal(query, inCategory, PAGE + 1).then((found) => {
      if (cancelled || ask !== asked.current) return;
      if (found.length || !isOnline) {
        drawn(key);
        shownFor.current = ask;
        setFailed(false);
        setProducts(found.slice(0, PAGE));
        setRest(found.length > PAGE ? "device" : null);
        setFromDevice(true);
        screenShown();
      }
    });
    if (!isOnline) void hasLocalCatalog().then((held) => !cancelled && setNoDeviceCatalog(!held));
    if (!isOnline) return;
    // typing waits a moment between keys; the first list (no query) goes at once
    const timer = setTimeout(
      () => {
        const params = listQuery(query, category);
        // the first list of a signed-in start (no search, no category, this page size) may be on
        // its way already: the boot script asks for it
        const first = !params.q && !params.category;
        const early = first ? takeEarly<ProductPage>(`/v1/products?limit=${params.limit}`, lang) : undefined;
        void Promise.resolve(early)
          .then(async (page) => page ?? (await api.GET("/v1/products", { params: { query: params } })).data)
          .then((page) => {
            if (cancelled || ask !== asked.current) return;
            if (!page) throw new Error("the list did not come");
            drawn(key);
            shownFor.current = ask;
            setProducts(page.data);
            setRest(page.meta?.next_cursor ? { cursor: page.meta.next_cursor } : null);
            setFromDevice(false);
            fromServer.current = key;
            screenShown();
          })
          .catch(() => {
            if (!cancelled && ask === asked.current && shownFor.current !== ask) setFailed(true);
          });
      },
      query ? 250 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, category, inCategory, isOnline, lang, retries]);

  /** A list for these terms goes on screen: other terms' list is drawn in two steps; the same
   * terms' list again (offline now, or fresher) replaces the cards in place, never collapsing
   * the list the shop may have scrolled down. */
  function drawn(key: string): void {
    if (drawnFor.current !== key) setFirstCards(true);
    drawnFor.current = key;
  }

  useEffect(() => {
    if (!firstCards) return;
    const timer = setTimeout(() => setFirstCards(false), 0);
    return () => clearTimeout(timer);
  }, [firstCards]);

  // a sync brought the device's catalog up to date: the products on screen take their new
  // prices and stock where they stand, a withdrawn one leaves (no request, no jump)
  useEffect(() => {
    if (!synced) return;
    const ask = asked.current;
    const shown = products ?? [];
    if (!shown.length) return;
    void localProducts(shown.map((product) => product.product_id)).then((fresh) => {
      if (ask !== asked.current) return;
      setProducts((list) => list && refreshed(list, fresh, productId, (product) => product.is_active));
    });
  }, [synced]);

  /** The next part of the list: the server's next page while online, else the device's next
   * matches (offline, the whole catalog on the phone stays reachable). */
  async function more(): Promise<void> {
    const ask = asked.current;
    if (rest && rest !== "device" && isOnline) {
      const params = { ...listQuery(query, category), cursor: rest.cursor };
      const page = await api.GET("/v1/products", { params: { query: params } }).then(
        (reply) => reply.data,
        () => undefined,
      );
      if (ask !== asked.current) return;
      if (page) {
        setProducts((list) => appendNew(list ?? [], page.data, productId));
        setRest(page.meta?.next_cursor ? { cursor: page.meta.next_cursor } : null);
        return;
      }
    }
    // offline, or the server's page did not come: the device's next matches
    const next = nextNotShown(
      products ?? [],
      await searchLocal(query, inCategory, Infinity),
      PAGE,
      productId,
    );
    if (ask !== asked.current) return;
    if (!next.items.length && rest !== "device") throw new Error("the next page did not come");
    setProducts((list) => appendNew(list ?? [], next.items, productId));
    setRest(next.more ? "device" : null);
  }

  async function scan() {
    const { scanBarcode } = await import("../components/scanner");
    const code = await scanBarcode();
    if (!code) return;
    const product = await byBarcode(code);
    setNotice(product ? null : t("barcode_not_found", { code }));
    setQuery(product ? product.name : code);
  }

  return (
    <Layout title={t("nav_catalog")}>
      <Announcements />
      <search class="searchbar">
        <label class="visually-hidden" for="q">
          {t("search_label")}
        </label>
        <input
          id="q"
          type="search"
          dir="auto"
          enterKeyHint="search"
          autocomplete="off"
          placeholder={t("search_placeholder")}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        {"BarcodeDetector" in globalThis && (
          <button type="button" class="secondary" onClick={() => void scan()}>
            {t("scan_barcode")}
          </button>
        )}
      </search>
      {notice && (
        <p class="hint" role="status">
          {notice}
        </p>
      )}
      {(known === null || top.length > 0) && (
        <div class="chips">
          <button type="button" aria-pressed={category === null} onClick={() => setCategory(null)}>
            {t("all_categories")}
          </button>
          {top.map((c) => (
            <button
              type="button"
              key={c.category_id}
              aria-pressed={category === c.category_id}
              onClick={() => setCategory(c.category_id)}
            >
              {c.name}
            </button>
          ))}
        </div>
      )}
      {failed ? (
        <Unread onRetry={() => setRetries((n) => n + 1)} />
      ) : products === null ? (
        <Loading />
      ) : products.length === 0 ? (
        <Empty>{t(!isOnline && noDeviceCatalog ? "catalog_not_on_device" : "no_results")}</Empty>
      ) : (
        <>
          {fromDevice && !isOnline && <p class="hint">{t("results_offline")}</p>}
          <ul class="products">
            {(firstCards ? products.slice(0, AT_ONCE) : products).map((product) => (
              <ProductCard key={product.product_id} product={product} />
            ))}
          </ul>
          {rest && !firstCards && <More label={t("more_products")} load={more} />}
        </>
      )}
    </Layout>
  );
}
