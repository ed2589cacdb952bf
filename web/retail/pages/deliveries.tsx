// The driver's day: the orders out for delivery assigned to them (kept on the device for the
// road), what to collect at each, and the cash on hand from deliveries already made.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../shared/api/client";
import type { Order } from "../../shared/api/types";
import { money, phoneNumber, today } from "../../shared/format";
import { withStampDuty } from "../../shared/money";
import { getValue, setValue } from "../../shared/offline/db";
import { cashTaken, type Job } from "../../shared/offline/rules";
import { useStore } from "../../shared/store";
import { Announcements } from "../components/announcements";
import { Layout } from "../components/layout";
import { Empty, Loading, Money, Refused, Status, Unread } from "../components/ui";
import { i18n, queue, useT } from "../state";
import { ordersChanged } from "../sync";

export const DELIVERIES = "driver.deliveries";

/** When the depot sent the order out: the round is the order in which they were dispatched. */
function dispatchedAt(order: Order): string {
  return order.history.findLast((event) => event.to_status === "out_for_delivery")?.at ?? order.created_at;
}

/** Every open delivery with its lines, in round order, read once online and kept for offline use. */
async function loadDeliveries(): Promise<Order[] | undefined> {
  const reply = await api.GET("/v1/orders", {
    params: { query: { status: "out_for_delivery", limit: 100 } },
  });
  if (!reply.data) return undefined;
  const details = await Promise.all(
    reply.data.data.map((summary) =>
      api.GET("/v1/orders/{order_id}", { params: { path: { order_id: summary.order_id } } }),
    ),
  );
  // one order that did not come and the round would silently miss a shop: the round kept stands
  if (details.some((detail) => !detail.data)) return undefined;
  const orders = details.flatMap((detail) => (detail.data ? [detail.data.data] : []));
  orders.sort((a, b) => dispatchedAt(a).localeCompare(dispatchedAt(b)));
  await setValue(DELIVERIES, orders);
  return orders;
}

/** The round: the copy kept on the device at once, then the server's; `failed` when the server's
 * could not come and the device keeps none (never "no deliveries" for a round not read). */
export function useDeliveries(): { orders: Order[] | undefined; failed: boolean; retry: () => void } {
  const [orders, setOrders] = useState<Order[] | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  const [tries, setTries] = useState(0);
  const changed = useStore(ordersChanged);
  const sent = useStore(queue).filter((job) => job.state === "done").length;
  useEffect(() => {
    let live = true;
    setFailed(false);
    void getValue<Order[]>(DELIVERIES).then((saved) => live && saved && setOrders((now) => now ?? saved));
    void loadDeliveries()
      .then((fresh) => {
        if (!fresh) throw new Error("the round did not come");
        if (live) setOrders(fresh);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [changed, sent, tries]);
  return { orders, failed, retry: () => setTries((n) => n + 1) };
}

/** The delivery made on this device for an order, if any (sent or waiting). */
export function deliveryJob(jobs: Job[], orderId: string): Job | undefined {
  return jobs.find(
    (job) => (job.kind === "deliver" || job.kind === "not_delivered") && job.summary.order_id === orderId,
  );
}

/** Tap to call the shop (the phone's dialer; the number is kept left-to-right in Arabic). */
export function CallButton({ name, phone }: { name: string; phone: string }) {
  const t = useT();
  return (
    <a class="button secondary call" href={`tel:${phone}`} aria-label={t("call", { name })}>
      <bdi dir="ltr">{phoneNumber(phone)}</bdi>
    </a>
  );
}

/** The cash to take at a shop paying the whole order at the door: the order and its stamp duty. */
function cashToTake(order: Order): number {
  return order.payment_method === "credit" ? 0 : withStampDuty(order.total_amount);
}

export default function Deliveries() {
  const t = useT();
  const { lang } = useStore(i18n);
  const { orders, failed, retry } = useDeliveries();
  const jobs = useStore(queue);
  const cash = cashTaken(jobs, today());
  // what the server refused of what was recorded on the road (the order was taken back meanwhile):
  // said above the round, which may no longer list the order
  const refused = jobs.filter(
    (job) => (job.kind === "deliver" || job.kind === "not_delivered") && job.state === "failed",
  );
  return (
    <Layout title={t("deliveries_title")}>
      <Announcements />
      {refused.length > 0 && (
        <ul class="orders">
          {refused.map((job) => (
            <Refused
              key={job.id}
              title={t("delivery_refused_of", { number: String(job.summary.order_number ?? "") })}
              job={job}
            />
          ))}
        </ul>
      )}
      <p class="card cash">{t("cash_on_hand", { amount: money(cash, lang) })}</p>
      {orders === undefined ? (
        failed ? (
          <Unread onRetry={retry} />
        ) : (
          <Loading />
        )
      ) : orders.length === 0 ? (
        <Empty>{t("deliveries_empty")}</Empty>
      ) : (
        <ol class="orders">
          {orders.map((order) => {
            const done = deliveryJob(jobs, order.order_id);
            return (
              <li
                key={order.order_id}
                class={`order delivery ${done && done.state !== "failed" ? "is-done" : ""}`}
              >
                <a href={`/deliveries/${order.order_id}`}>
                  <span class="number">
                    <bdi>{order.order_number}</bdi>
                  </span>
                  {done ? (
                    <span class="badge">
                      {done.state === "done"
                        ? t(done.kind === "deliver" ? "status_delivered" : "not_delivered")
                        : done.state === "failed"
                          ? t("job_refused")
                          : t("waiting_to_send", { n: 1 })}
                    </span>
                  ) : (
                    <Status status={order.status} />
                  )}
                  <strong>
                    <bdi>{order.retailer_name}</bdi>
                  </strong>
                  <span class="meta">
                    <bdi>{order.delivery_address}</bdi>
                  </span>
                  <span>
                    {t("cash_to_take")}: <Money value={cashToTake(order)} />
                  </span>
                </a>
                {order.delivery_phone && (
                  <CallButton name={order.retailer_name} phone={order.delivery_phone} />
                )}
              </li>
            );
          })}
        </ol>
      )}
    </Layout>
  );
}
