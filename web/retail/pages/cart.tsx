// The cart and checkout: lines with their steppers and the server's reasons for a refused
// line, payment by cash or credit (with the credit left), notes, the estimate, and "place
// order", which always goes through the device's queue (so a tap is never lost or doubled).

import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../shared/api/client";
import { type Credit, type LineProblem, problemParams } from "../../shared/api/types";
import { capitalized, date, daysAfter, money, today } from "../../shared/format";
import { orderPlaced } from "../../shared/install";
import { getValue, setValue } from "../../shared/offline/db";
import { discard, enqueue, settled } from "../../shared/offline/queue";
import { increment } from "../../shared/quantity";
import { useStore } from "../../shared/store";
import { type CartLine, cart, clearCart, estimate, setQuantity, showProblems } from "../cart";
import { Layout } from "../components/layout";
import { CartStepper } from "../components/product";
import { Empty, Money } from "../components/ui";
import { i18n, isOwner, me, online, useT } from "../state";

export function useCredit(): Credit | null {
  const profile = useStore(me);
  const [credit, setCredit] = useState<Credit | null>(null);
  const retailerId = profile?.retailer?.retailer_id;
  useEffect(() => {
    if (!retailerId || !isOwner(profile)) return;
    void getValue<Credit>("credit").then((saved) => saved && setCredit(saved));
    void api
      .GET("/v1/retailers/{retailer_id}/credit", { params: { path: { retailer_id: retailerId } } })
      .then((reply) => {
        if (!reply.data) return;
        setCredit(reply.data.data);
        void setValue("credit", reply.data.data);
      })
      .catch(() => undefined);
  }, [retailerId, profile]);
  return credit;
}

function problemText(
  t: ReturnType<typeof useT>,
  lang: ReturnType<typeof i18n.get>["lang"],
  problem: LineProblem,
) {
  const params: Record<string, string | number> = problemParams(problem);
  // amounts (centimes) as the shop reads them
  for (const name of ["available", "price_seen", "price_with_vat"]) {
    const amount = params[name];
    if (typeof amount === "number" && (name !== "available" || problem.code === "credit_limit_exceeded")) {
      params[name] = money(amount, lang);
    }
  }
  const key = `problem_${problem.code}` as Parameters<typeof t>[0];
  const text = t(key, params);
  return text === key ? (problem.message ?? problem.code) : text;
}

function Line({ line }: { line: CartLine }) {
  const t = useT();
  const { lang } = useStore(i18n);
  const { product, quantity, problem } = line;
  const available = problem?.code === "out_of_stock" ? problemParams(problem).available : undefined;
  return (
    <li class={`line ${problem ? "has-problem" : ""}`}>
      <div class="info">
        <h2>{product.name}</h2>
        <p class="meta">
          <bdi>{product.sku}</bdi>
          <Money value={product.price_with_vat} />
        </p>
        {/* the line's amount, as the order and the invoice will show it */}
        <p class="line-total">
          <Money value={quantity * product.price_with_vat} />
        </p>
        {problem && (
          <p class="error" id={`problem-${product.product_id}`}>
            {problemText(t, lang, problem)}
          </p>
        )}
      </div>
      <CartStepper product={product} quantity={quantity} />
      {problem && (
        <button
          type="button"
          class="secondary fix"
          aria-describedby={`problem-${product.product_id}`}
          onClick={() => {
            if (problem.code === "price_changed") {
              // the price moved since the shop saw it: the line at today's price (sent with it)
              const { price_with_vat, base_price } = problemParams(problem);
              if (price_with_vat !== undefined && base_price !== undefined) {
                setQuantity({ ...product, price_with_vat, base_price }, quantity);
              }
              return;
            }
            // one tap: what the server can sell (the stock left, in whole packs), or remove it
            const fixed =
              available !== undefined
                ? Math.floor(available / product.pack_size) * product.pack_size
                : problem.code === "below_min_order_quantity" || problem.code === "not_pack_multiple"
                  ? increment({ ...product, stock_quantity: Number.MAX_SAFE_INTEGER }, 0)
                  : 0;
            setQuantity(product, fixed >= product.min_order_quantity ? fixed : 0);
          }}
        >
          {t(problem.code === "price_changed" ? "accept_price" : "fix_line")}
        </button>
      )}
    </li>
  );
}

/** The delivery days offered after "as soon as possible": tomorrow and the five after it. */
const DAYS_AHEAD = [1, 2, 3, 4, 5, 6];

export default function CartPage() {
  const t = useT();
  const { lang } = useStore(i18n);
  const value = useStore(cart);
  const isOnline = useStore(online);
  const profile = useStore(me);
  const credit = useCredit();
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const sum = estimate(value);
  const creditShort = value.payment_method === "credit" && credit !== null && credit.available < sum.total;
  // a day kept in the cart since last week has passed: as soon as possible, then
  const day = value.requested_date && value.requested_date >= today() ? value.requested_date : undefined;

  async function place(event: Event) {
    event.preventDefault();
    if (!value.lines.length) return;
    setBusy(true);
    setMessage(null);
    // with the price the shop sees on each line: if it moved before the order reaches the server
    // (sent later from offline, or the cart not yet synced), the server refuses it and says so
    const items = value.lines.map((line) => ({
      product_id: line.product.product_id,
      quantity: line.quantity,
      price_seen: line.product.price_with_vat,
    }));
    const job = await enqueue(
      "order",
      "/v1/orders",
      {
        items,
        payment_method: value.payment_method,
        ...(day ? { requested_date: day } : {}),
        ...(value.notes.trim() ? { notes: value.notes.trim() } : {}),
      },
      {
        // the cart's lines as they were (the product as shown): a refused order goes back to the
        // cart whole, even a product the phone's catalog no longer holds
        lines: value.lines.map((line) => ({
          product_id: line.product.product_id,
          quantity: line.quantity,
          name: line.product.name,
          product: line.product,
        })),
        estimate: sum.total,
        retailer_id: profile?.retailer?.retailer_id,
      },
    );
    const snapshot = value;
    clearCart();
    const { flush } = await import("../../shared/offline/queue");
    void flush();
    // online: wait a moment for the server's answer (placed, or refused while the shop is here);
    // offline: the order waits on the device, shown at the top of the orders
    const outcome = online.get() ? await settled(job.id, 8_000) : job;
    setBusy(false);
    if (outcome?.state === "done") {
      const order = outcome.result as { order_id: string };
      orderPlaced(order.order_id); // the order screen may offer "add to home screen"
      route(`/orders/${order.order_id}`);
    } else if (outcome?.state === "failed" && outcome.problem?.code === "order_rejected") {
      // refused while the shop is here: the lines come back with their reasons, one tap each to fix
      cart.set(snapshot);
      showProblems(
        (outcome.problem.details as LineProblem[]) ?? [],
        items.map((i) => i.product_id),
      );
      await discard(job.id);
      setMessage(t("order_refused"));
    } else if (outcome?.state === "failed") {
      cart.set(snapshot);
      await discard(job.id);
      setMessage(outcome.problem?.message || t("error_generic"));
    } else {
      setMessage(t("order_queued"));
      route("/orders");
    }
  }

  return (
    <Layout title={t("cart_title")}>
      {message && (
        <p class={value.lines.length ? "error banner" : "hint banner"} role="alert">
          {message}
        </p>
      )}
      {value.lines.length === 0 ? (
        <Empty next={{ href: "/", label: t("browse_catalog") }}>{t("cart_empty")}</Empty>
      ) : (
        <form onSubmit={place} class="stack">
          <ul class="lines">
            {value.lines.map((line) => (
              <Line key={line.product.product_id} line={line} />
            ))}
          </ul>
          <fieldset class="card">
            <legend>{t("payment")}</legend>
            <label class="choice">
              <input
                type="radio"
                name="payment"
                checked={value.payment_method === "cash_on_delivery"}
                onChange={() =>
                  cart.set({ ...value, payment_method: "cash_on_delivery", problem: undefined })
                }
              />
              {t("cash_on_delivery")}
            </label>
            <label class="choice">
              <input
                type="radio"
                name="payment"
                checked={value.payment_method === "credit"}
                onChange={() => cart.set({ ...value, payment_method: "credit", problem: undefined })}
              />
              {t("on_credit")}
              {credit && <small>{t("credit_available", { amount: money(credit.available, lang) })}</small>}
            </label>
            {creditShort && credit && (
              <p class="error">{t("credit_not_enough", { amount: money(credit.available, lang) })}</p>
            )}
            {value.problem && <p class="error">{problemText(t, lang, value.problem)}</p>}
          </fieldset>
          <fieldset class="card">
            <legend>{t("delivery_day")}</legend>
            <div class="chips">
              {[undefined, ...DAYS_AHEAD.map((n) => daysAfter(today(), n))].map((option, n) => (
                <button
                  key={option ?? "asap"}
                  type="button"
                  aria-pressed={option === day}
                  onClick={() => cart.set({ ...value, requested_date: option })}
                >
                  {option === undefined
                    ? t("delivery_asap")
                    : n === 1
                      ? t("delivery_tomorrow")
                      : capitalized(date(option, lang, "weekdayShort"), lang)}
                </button>
              ))}
            </div>
          </fieldset>
          <label>
            {t("notes")}
            <textarea
              dir="auto"
              rows={2}
              maxLength={500}
              value={value.notes}
              onInput={(e) => cart.set({ ...value, notes: e.currentTarget.value })}
            />
          </label>
          <dl class="totals card">
            <dt>{t("line_count", { n: value.lines.length })}</dt>
            <dd />
            <dt>{t("subtotal")}</dt>
            <dd>
              <Money value={sum.subtotal} />
            </dd>
            <dt>{t("vat")}</dt>
            <dd>
              <Money value={sum.vat_total} />
            </dd>
            <dt class="grand">{t("total")}</dt>
            <dd class="grand">
              <Money value={sum.total} />
            </dd>
          </dl>
          <p class="hint">{t("estimate_note")}</p>
          {/* the amount stays in sight on the button the thumb is about to tap */}
          <button type="submit" class="primary sticky" disabled={busy}>
            {busy ? (
              t("sending")
            ) : (
              <>
                {t("place_order")} · <Money value={sum.total} />
              </>
            )}
            {!isOnline && ` · ${t("offline")}`}
          </button>
        </form>
      )}
    </Layout>
  );
}
