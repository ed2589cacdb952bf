// Long lists come a page at a time (the catalog, the orders, the statement): the rules for
// putting the next page after what the screen shows, with nothing shown twice.

/** `list`, then the items of `more` it does not show yet (a page boundary that moved between
 * two requests — an order placed, a product added — would otherwise repeat an item). */
export function appendNew<T>(list: readonly T[], more: readonly T[], id: (item: T) => string): T[] {
  return [...list, ...notShown(list, more, id)];
}

/** The next `count` of `found` (every match, in order) that `list` does not show, and whether
 * more remain after them: the device's own matches continue a list the server began. */
export function nextNotShown<T>(
  list: readonly T[],
  found: readonly T[],
  count: number,
  id: (item: T) => string,
): { items: T[]; more: boolean } {
  const fresh = notShown(list, found, id);
  return { items: fresh.slice(0, count), more: fresh.length > count };
}

/** The items of `items` that `list` does not show. */
function notShown<T>(list: readonly T[], items: readonly T[], id: (item: T) => string): T[] {
  const shown = new Set(list.map(id));
  return items.filter((item) => !shown.has(id(item)));
}

/** `list` with each item replaced by its newer copy in `fresh` (the same place on the screen),
 * the items `keep` refuses dropped, and those `fresh` does not know left as they were. */
export function refreshed<T>(
  list: readonly T[],
  fresh: ReadonlyMap<string, T>,
  id: (item: T) => string,
  keep: (item: T) => boolean = () => true,
): T[] {
  return list.map((item) => fresh.get(id(item)) ?? item).filter(keep);
}
