import { describe, expect, it } from "vitest";
import { appendNew, nextNotShown, refreshed } from "../shared/paging";

type Item = { id: string; price: number; active?: boolean };
const id = (item: Item) => item.id;
const items = (...ids: string[]): Item[] => ids.map((key) => ({ id: key, price: 1 }));

describe("the next page of a list", () => {
  it("goes after what is shown, without repeating an item a moved page boundary brings back", () => {
    const shown = items("a", "b", "c");
    expect(appendNew(shown, items("c", "d", "e"), id).map(id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(appendNew(shown, [], id).map(id)).toEqual(["a", "b", "c"]);
    expect(appendNew([], items("a"), id).map(id)).toEqual(["a"]);
  });

  it("continues from the device's matches: the next ones not shown, and whether more remain", () => {
    const shown = items("b", "a"); // the server's order, not the device's
    const found = items("a", "b", "c", "d", "e");
    expect(nextNotShown(shown, found, 2, id)).toEqual({ items: items("c", "d"), more: true });
    expect(nextNotShown(shown, found, 3, id)).toEqual({ items: items("c", "d", "e"), more: false });
    expect(nextNotShown(items("a", "b", "c", "d", "e"), found, 3, id)).toEqual({ items: [], more: false });
  });
});

describe("a list refreshed in place", () => {
  it("takes each item's newer copy where it stands, drops what is refused and keeps the unknown", () => {
    const shown: Item[] = [
      { id: "a", price: 1 },
      { id: "b", price: 2 },
      { id: "c", price: 3 },
    ];
    const fresh = new Map<string, Item>([
      ["b", { id: "b", price: 20 }],
      ["c", { id: "c", price: 30, active: false }],
    ]);
    const after = refreshed(shown, fresh, id, (item) => item.active !== false);
    expect(after).toEqual([
      { id: "a", price: 1 },
      { id: "b", price: 20 },
    ]);
  });
});
