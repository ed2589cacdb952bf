// One order: its status and timeline, lines, totals, the invoice once delivered; cancel while
// pending and "order the same again" (into the cart, at today's prices and valid quantities).

import { useEffect, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { api } from "../../shared/api/client";
import type { Order } from "../../shared/api/types";
import { date, isolated, locale } from "../../shared/format";
import { declineInstall, installOffered, offerAfter, offerInstall } from "../../shared/install";
import { localProducts } from "../../shared/offline/catalog";
import { getValue, setBounded } from "../../shared/offline/db";
import { enqueue, flush } from "../../shared/offline/queue";
import { normalize } from "../../shared/quantity";
import { useStore } from "../../shared/store";
import { setQuantity } from "../cart";
import { Layout } from "../components/layout";
import { Loading, Money, Problem, Status } from "../components/ui";
import { i18n, queue, useT } from "../state";
import { ordersChanged } from "../sync";

/** Order details kept on the device for offline reading (the most recently opened). */
const KEEP_ORDERS = 50;

export function useOrder(id: string): { order: Order | null | undefined; reload: () => void } {
  const [order, setOrder] = useState<Order | null | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const changed = useStore(ordersChanged);
  const jobs = useStore(queue);
  const sent = jobs.filter((job) => job.state === "done").length;
  useEffect(() => {
    let live = true;
    const key = `order.${id}`;
    void getValue<Order>(key).then((saved) => live && saved && setOrder((now) => now ?? saved));
    void api
      .GET("/v1/orders/{order_id}", { params: { path: { order_id: id } } })
      .then((reply) => {
        if (!live) return;
        if (reply.data) {
          setOrder(reply.data.data);
          void setBounded("order", id, reply.data.data, KEEP_ORDERS);
        } else setOrder((now) => now ?? null);
      })
      .catch(() => live && setOrder((now) => now ?? null));
    return () => {
      live = false;
    };
  }, [id, tick, changed, sent]);
  return { order, reload: () => setTick((n) => n + 1) };
}

/** After the shop's order went through: "add to home screen", once, where the browser offers it. */
function InstallOffer({ orderId }: { orderId: string }) {
  const t = useT();
  const [shown, setShown] = useState(() => offerAfter(orderId));
  if (!shown) return null;
  const close = () => {
    installOffered();
    setShown(false);
  };
  return (
    <section class="card stack" aria-labelledby="install-title">
      <h2 id="install-title">{t("install_title")}</h2>
      <p>{t("install_text")}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => void offerInstall().finally(close)}>
          {t("install")}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            declineInstall();
            close();
          }}
        >
          {t("not_now")}
        </button>
      </div>
    </section>
  );
}

export default function OrderPage() {
  const t = useT();
  const { lang } = useStore(i18n);
  const { params } = useRoute();
  const id = params.id ?? "";
  const { order, reload } = useOrder(id);
  const jobs = useStore(queue);
  const [note, setNote] = useState<string | null>(null);
  const cancelling = jobs.some(
    (job) => job.kind === "cancel" && job.path.includes(id) && job.state === "waiting",
  );

  if (order === undefined) return <Layout title={t("orders_title")}>{<Loading />}</Layout>;
  if (order === null)
    return (
      <Layout title={t("orders_title")}>
        <Problem message={t("error_offline_data")} onRetry={reload} />
      </Layout>
    );

  async function cancel() {
    if (!order || !confirm(t("cancel_confirm"))) return;
    await enqueue(
      "cancel",
      `/v1/orders/${order.order_id}/transitions`,
      // no version: what matters is that the order is still pending when this arrives (the
      // server's rules say so, and name where the order stands if it is not)
      { to: "cancelled" },
      {
        order_number: order.order_number,
      },
    );
    await flush();
  }

  async function again() {
    if (!order) return;
    const products = await localProducts(order.lines.map((line) => line.product_id));
    // what can no longer be had (withdrawn, or none in stock) is named, never silently left out
    const missing: string[] = [];
    for (const line of order.lines) {
      const product = products.get(line.product_id);
      const quantity = product?.is_active ? normalize(product, line.quantity) : 0;
      if (product && quantity > 0) setQuantity(product, quantity);
      else missing.push(line.name);
    }
    const names = new Intl.ListFormat(locale(lang), { type: "conjunction" }).format(missing);
    setNote(
      missing.length === 0
        ? t("reorder_added")
        : missing.length < order.lines.length
          ? t("reorder_partly", { names })
          : t("reorder_none", { names }),
    );
  }

  async function invoice() {
    if (!order) return;
    const reply = await api.GET("/v1/orders/{order_id}/invoice", {
      params: { path: { order_id: order.order_id } },
    });
    if (reply.data) location.assign(reply.data.data.url);
  }

  return (
    <Layout title={t("order_title", { number: order.order_number })}>
      <section class="card stack">
        <p>
          <Status status={order.status} /> <span class="meta">{date(order.created_at, lang, "dayTime")}</span>
        </p>
        <dl class="totals">
          <dt>{t("payment")}</dt>
          <dd>{t(order.payment_method === "credit" ? "on_credit" : "cash_on_delivery")}</dd>
          {order.requested_date && (
            <>
              <dt>{t("delivery_day")}</dt>
              <dd>{date(order.requested_date, lang, "weekday")}</dd>
            </>
          )}
          <dt class="grand">{t("total")}</dt>
          <dd class="grand">
            <Money value={order.delivered_total ?? order.total_amount} />
          </dd>
          {order.stamp_duty ? (
            <>
              <dt>{t("stamp_duty")}</dt>
              <dd>
                <Money value={order.stamp_duty} />
              </dd>
            </>
          ) : null}
          {order.status === "delivered" && order.delivered_total !== null && (
            <>
              <dt>{t("paid_at_delivery")}</dt>
              <dd>
                <Money value={order.cash_collected ?? 0} />
              </dd>
              {order.delivered_total > (order.cash_collected ?? 0) && (
                <>
                  <dt class="warn">{t("left_after_delivery")}</dt>
                  <dd class="warn">
                    <Money value={order.delivered_total - (order.cash_collected ?? 0)} />
                    {order.due_date && (
                      <span class="meta">{t("due_on", { date: date(order.due_date, lang) })}</span>
                    )}
                  </dd>
                </>
              )}
            </>
          )}
        </dl>
        <div class="actions">
          {order.status === "pending" && (
            <button
              type="button"
              class="secondary danger"
              disabled={cancelling}
              onClick={() => void cancel()}
            >
              {cancelling ? t("waiting_to_send", { n: 1 }) : t("cancel_order")}
            </button>
          )}
          <button type="button" class="secondary" onClick={() => void again()}>
            {t("reorder")}
          </button>
          {order.status === "delivered" && (
            <button type="button" class="secondary" onClick={() => void invoice()}>
              {t("invoice")}
            </button>
          )}
        </div>
        {note && (
          <p class="hint" role="status">
            {note} <a href="/cart">{t("nav_cart")}</a>
          </p>
        )}
      </section>
      <InstallOffer orderId={order.order_id} />
      <section class="card">
        <h2>{t("lines")}</h2>
        <ul class="lines compact">
          {order.lines.map((line) => {
            // delivered short: what was handed over and its amount, with what was ordered
            const short = line.delivered_quantity !== null && line.delivered_quantity !== line.quantity;
            const handed = line.delivered_quantity ?? line.quantity;
            return (
              <li key={line.product_id}>
                <span>{line.name}</span>
                <bdi class="qty">
                  × {handed}
                  {short && <span class="meta"> {t("of_ordered", { n: line.quantity })}</span>}
                </bdi>
                <Money value={short ? handed * line.unit_price_with_vat : line.line_total} />
              </li>
            );
          })}
        </ul>
      </section>
      <section class="card">
        <h2>{t("timeline")}</h2>
        <ol class="timeline">
          {order.history.map((event) => (
            <li key={event.at}>
              <Status status={event.to_status as Order["status"]} />
              <span class="meta">{date(event.at, lang, "dayTime")}</span>
              {event.reason_code && (
                <span>
                  {t("failure_said", {
                    reason:
                      event.reason_code === "other"
                        ? isolated(event.reason ?? "")
                        : t(`failure_${event.reason_code}`),
                  })}
                </span>
              )}
              {!event.reason_code && event.reason && <bdi>{event.reason}</bdi>}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
