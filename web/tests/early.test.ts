import { afterEach, describe, expect, it } from "vitest";
import { takeEarly } from "../shared/api/early";

const page = { success: true, data: [{ product_id: "p1" }], meta: { next_cursor: null } };
const reply = (status: number, body: unknown) =>
  Promise.resolve(new Response(JSON.stringify(body), { status }));

function boot(early: Record<string, Promise<Response>>): void {
  (globalThis as { window?: unknown }).window = { __livriliEarly: early };
}

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe("the first page the boot script asked for", () => {
  it("is taken once, by the key it was asked with", async () => {
    boot({ "/v1/products?limit=50 ar": reply(200, page) });
    expect(await takeEarly("/v1/products?limit=50", "fr")).toBeUndefined(); // another language: not it
    expect(await takeEarly("/v1/products?limit=50", "ar")).toEqual(page);
    expect(await takeEarly("/v1/products?limit=50", "ar")).toBeUndefined(); // the screen asks itself next time
  });
  it("is dropped unless it is a 200: the screen asks the usual way (a refresh on 401)", async () => {
    boot({ "/v1/products?limit=50 ar": reply(401, { success: false }) });
    expect(await takeEarly("/v1/products?limit=50", "ar")).toBeUndefined();
  });
  it("is dropped when the network failed", async () => {
    boot({ "/v1/products?limit=50 ar": Promise.reject(new TypeError("Failed to fetch")) });
    expect(await takeEarly("/v1/products?limit=50", "ar")).toBeUndefined();
  });
  it("is nothing when the boot script asked for nothing (signed out, a driver)", async () => {
    expect(await takeEarly("/v1/products?limit=50", "ar")).toBeUndefined();
  });
});
