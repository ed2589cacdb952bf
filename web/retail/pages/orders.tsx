// The shop's orders: what waits on the device (to send, or refused) first, then the
// orders from the server (the last copy when offline), newest first.
import { useEffect, useState } from "preact/hooks";
import { api } from "../../shared/api/client";
import type { LineProblem, OrderSummary, Product } from "../../shared/api/types";
import { date, money } from "../../shared/format";
import { localProducts } from "../../shared/offline/catalog";
import { getValue } from "../../shared/offline/db";
import { discard, resend } from "../../shared/offline/queue";
import { atPricesSeen, type Job, movedPrices } from "../../shared/offline/rules";
import { appendNew } from "../../shared/paging";
import { useStore } from "../../shared/store";
import { cart, showProblems } from "../cart";
import { Layout } from "../components/layout";
import { Empty, Loading, Money, More, Refused, Status, Unread } from "../components/ui";
import { i18n, online, queue, useT } from "../state";
import { ORDERS_PAGE, ordersChanged, RECENT_ORDERS, refreshOrders } from "../sync";

interface Saved {
  at: string;
  orders: OrderSummary[];
}

const orderId = (order: OrderSummary) => order.order_id;

type Line = { product_id: string; quantity: number; name: string; product?: Product };
type OrderBody = { items: { product_id: string; quantity: number; price_seen?: number }[] };

async function backToCart(job: Job): Promise<void> {
  const lines = job.summary.lines as Line[];
  const products = await localProducts(lines.map((line) => line.product_id));
  const body = job.body as { payment_method: "cash_on_delivery" | "credit"; notes?: string };
  cart.set({
    // today's copy of each product, else the one the order was made with (an order saved by an
    // earlier app has none: a product the phone no longer holds is then left out)
    lines: lines
      .map((line) => ({ product: products.get(line.product_id) ?? line.product, quantity: line.quantity }))
      .filter((line): line is { product: Product; quantity: number } => line.product !== undefined),
    payment_method: body.payment_method,
    notes: body.notes ?? "",
  });
  if (job.problem?.code === "order_rejected") {
    showProblems(
      (job.problem.details as LineProblem[]) ?? [],
      lines.map((line) => line.product_id),
    );
  }
  await discard(job.id);
}

function JobCard({ job }: { job: Job }) {
  const t = useT();
  const { lang } = useStore(i18n);
  const lines = (job.summary.lines as Line[] | undefined) ?? [];
  // refused only because prices moved since the shop saw them: it may go at today's, in one tap
  const moved = job.state === "failed" ? movedPrices(job.problem) : null;
  if (job.kind === "cancel") {
    return (
      <Refused title={t("cancel_refused", { number: String(job.summary.order_number ?? "") })} job={job} />
    );
  }
  const body = job.body as OrderBody;
  const nameOf = (index: number) => lines[index]?.name ?? ""; // the cart's lines, in the items' order
  return (
    <li class={`order job job-${job.state}${moved ? " job-moved" : ""}`}>
      <p>
        <strong>
          {job.state === "waiting" ? t("waiting_order") : moved ? t("review_order") : t("refused_order")}
        </strong>
      </p>
      <p class="meta">
        <span>{date(job.created_at, lang, "dayTime")}</span>
        <span>{t("line_count", { n: lines.length })}</span>
        <Money value={Number(job.summary.estimate ?? 0)} />
      </p>
      {job.state === "waiting" && <p class="hint">{t("order_queued")}</p>}
      {moved && (
        <>
          <ul class="changes">
            {moved.map((line) => (
              <li key={line.index}>
                {t("price_was_now", {
                  name: nameOf(line.index),
                  was: money(line.price_seen, lang),
                  now: money(line.price_with_vat, lang),
                })}
              </li>
            ))}
          </ul>
          <div class="actions">
            <button
              type="button"
              class="primary"
              onClick={() => void resend(job.id, atPricesSeen(body, moved))}
            >
              {t("send_anyway")}
            </button>
            <a class="button secondary" href="/cart" onClick={() => void backToCart(job)}>
              {t("fix_line")}
            </a>
          </div>
        </>
      )}
      {job.state === "failed" && !moved && (
        <>
          <p class="error">{job.problem?.message}</p>
          <div class="actions">
            <a class="button primary" href="/cart" onClick={() => void backToCart(job)}>
              {t("fix_line")}
            </a>
            <button type="button" class="secondary" onClick={() => void discard(job.id)}>
              {t("discard")}
            </button>
          </div>
        </>
      )}
    </li>
  );
}

export default function Orders() {
  const t = useT();
  const { lang } = useStore(i18n);
  const jobs = useStore(queue);
  const changed = useStore(ordersChanged);
  const isOnline = useStore(online); // back online: the list (and the way to older orders) is read again
  const [saved, setSaved] = useState<Saved | null | undefined>(undefined);
  // the older orders opened further down, and the cursor to the next ones
  const [older, setOlder] = useState<OrderSummary[]>([]);
  const [rest, setRest] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [tries, setTries] = useState(0);
  const loadedOlder = older.length > 0;

  useEffect(() => {
    let live = true;
    setFailed(false);
    void getValue<Saved>(RECENT_ORDERS).then((value) => live && setSaved((now) => now ?? value ?? null));
    void refreshOrders()
      .then((page) => {
        if (!page) throw new Error("the orders did not come");
        if (!live) return;
        setSaved({ at: new Date().toISOString(), orders: page.orders });
        // the newest orders are read again; the older ones opened stay where the shop is
        if (!loadedOlder) setRest(page.older);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [changed, isOnline, tries, jobs.filter((job) => job.state === "done").length]);

  async function more(): Promise<void> {
    const reply = await api.GET("/v1/orders", { params: { query: { limit: ORDERS_PAGE, cursor: rest } } });
    if (!reply.data) throw new Error("the older orders did not come");
    const page = reply.data;
    setOlder((list) => appendNew(list, page.data, orderId));
    setRest(page.meta?.next_cursor ?? null);
  }

  const orders = saved ? appendNew(saved.orders, older, orderId) : [];

  // orders waiting or refused, and cancellations refused, above the server's list
  const pending = jobs.filter(
    (job) =>
      (job.kind === "order" && job.state !== "done") || (job.kind === "cancel" && job.state === "failed"),
  );
  return (
    <Layout title={t("orders_title")}>
      {pending.length > 0 && (
        <ul class="orders">
          {pending.map((job) => (
            <JobCard key={job.id} job={job} />
          ))}
        </ul>
      )}
      {saved === undefined || (saved === null && failed) ? (
        failed ? (
          <Unread onRetry={() => setTries((n) => n + 1)} />
        ) : (
          <Loading />
        )
      ) : !orders.length ? (
        pending.length === 0 && (
          <Empty next={{ href: "/", label: t("browse_catalog") }}>{t("orders_empty")}</Empty>
        )
      ) : (
        <>
          <ul class="orders">
            {orders.map((order) => (
              <li key={order.order_id} class="order">
                <a href={`/orders/${order.order_id}`}>
                  <span class="number">
                    <bdi>{order.order_number}</bdi>
                  </span>
                  <Status status={order.status} />
                  <span class="meta">
                    <span>{date(order.created_at, lang, "dayTime")}</span>
                    <span>{t("line_count", { n: order.line_count })}</span>
                  </span>
                  <Money value={order.delivered_total ?? order.total_amount} />
                </a>
              </li>
            ))}
          </ul>
          {rest && <More label={t("older_orders")} load={more} />}
        </>
      )}
    </Layout>
  );
}
