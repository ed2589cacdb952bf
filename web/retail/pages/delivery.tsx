// One delivery: the lines with the quantities handed over, the cash taken (the stamp duty on
// it shown before confirming), or "not delivered" with a reason. Both go through the device's
// queue with their own key: made offline on the road, sent once when the network is back.

import { useEffect, useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import type { FailureReason } from "../../shared/api/types";
import { date, money, parseAmount } from "../../shared/format";
import { stampDuty, totals, withStampDuty } from "../../shared/money";
import { enqueue, flush } from "../../shared/offline/queue";
import { useStore } from "../../shared/store";
import { Layout } from "../components/layout";
import { Loading, Money, Problem, Refused, Stepper, Unread } from "../components/ui";
import { i18n, queue, useT } from "../state";
import { CallButton, deliveryJob, useDeliveries } from "./deliveries";

const REASONS: FailureReason[] = ["shop_closed", "not_enough_cash", "refused", "unreachable", "other"];

export default function Delivery() {
  const t = useT();
  const { lang } = useStore(i18n);
  const { params } = useRoute();
  const { route } = useLocation();
  const { orders, failed, retry } = useDeliveries();
  const jobs = useStore(queue);
  const order = orders?.find((o) => o.order_id === params.id);
  const [delivered, setDelivered] = useState<Record<string, number>>({});
  const [cashText, setCashText] = useState<string | null>(null);
  const [reason, setReason] = useState<FailureReason | null>(null);
  const [note, setNote] = useState("");

  useEffect(() => {
    if (order) setDelivered(Object.fromEntries(order.lines.map((line) => [line.product_id, line.quantity])));
  }, [order?.order_id]);

  if (orders === undefined && !failed) return <Layout title={t("deliveries_title")}>{<Loading />}</Layout>;
  if (!order)
    return (
      <Layout title={t("deliveries_title")}>
        {failed ? <Unread onRetry={retry} /> : <Problem message={t("error_offline_data")} onRetry={retry} />}
      </Layout>
    );

  const done = deliveryJob(jobs, order.order_id);
  const due = totals(
    order.lines.map((line) => ({
      quantity: delivered[line.product_id] ?? line.quantity,
      unit_price: line.unit_price,
      vat_rate: line.vat_rate,
    })),
  ).total;
  const owed = order.payment_method === "credit" ? 0 : due;
  const cash = cashText === null ? owed : (parseAmount(cashText) ?? -1);
  const cashValid = cash >= 0 && cash <= due;
  const duty = cashValid ? stampDuty(cash) : 0;

  async function confirmDelivery(event: Event) {
    event.preventDefault();
    if (!order || !cashValid) return;
    const lines = order.lines.map((line) => ({
      product_id: line.product_id,
      delivered_quantity: delivered[line.product_id] ?? line.quantity,
    }));
    await enqueue(
      "deliver",
      `/v1/orders/${order.order_id}/transitions`,
      { to: "delivered", lines, cash_collected: cash },
      { order_id: order.order_id, order_number: order.order_number, cash },
    );
    void flush();
    route("/");
  }

  // "other" is said in words (the server asks for 3 characters at least)
  const told = note.trim();
  const reasonGiven = reason !== null && (reason !== "other" || told.length >= 3);

  async function notDelivered() {
    if (!order || !reason || !reasonGiven) return;
    // a code, read by the shop and the depot in their own language; the driver's words only for "other"
    await enqueue(
      "not_delivered",
      `/v1/orders/${order.order_id}/transitions`,
      { to: "preparing", reason_code: reason, ...(reason === "other" ? { reason: told } : {}) },
      { order_id: order.order_id, order_number: order.order_number },
    );
    void flush();
    route("/");
  }

  return (
    <Layout title={t("order_title", { number: order.order_number })}>
      <section class="card">
        <h2>
          <bdi>{order.retailer_name}</bdi>
        </h2>
        <p>
          <bdi>{order.delivery_address}</bdi>
        </p>
        {order.requested_date && (
          <p>
            {t("delivery_day")}: <strong>{date(order.requested_date, lang, "weekday")}</strong>
          </p>
        )}
        {order.delivery_phone && <CallButton name={order.retailer_name} phone={order.delivery_phone} />}
        {order.notes && (
          <p class="meta">
            <bdi>{order.notes}</bdi>
          </p>
        )}
      </section>
      {done?.state === "failed" ? (
        // the server refused what was recorded on the road (the order moved meanwhile): said as on
        // the round; once read, the delivery can be recorded again if it is still this driver's
        <ul class="orders">
          <Refused title={t("delivery_refused_of", { number: order.order_number })} job={done} />
        </ul>
      ) : done ? (
        <p class="hint banner" role="status">
          {done.state === "done" ? t("status_delivered") : t("delivery_queued")}
        </p>
      ) : (
        <form class="stack" onSubmit={confirmDelivery}>
          <ul class="lines">
            {order.lines.map((line) => {
              const value = delivered[line.product_id] ?? line.quantity;
              return (
                <li key={line.product_id} class="line">
                  <div class="info">
                    <h3>{line.name}</h3>
                    <p class="meta">
                      <bdi>{line.sku}</bdi>
                      <bdi>× {line.quantity}</bdi>
                    </p>
                  </div>
                  <Stepper
                    label={t("delivered_qty", { name: line.name })}
                    value={value}
                    canPlus={value < line.quantity}
                    minusLabel={t("decrease", { name: line.name })}
                    plusLabel={t("increase", { name: line.name })}
                    onMinus={() => setDelivered({ ...delivered, [line.product_id]: Math.max(0, value - 1) })}
                    onPlus={() =>
                      setDelivered({ ...delivered, [line.product_id]: Math.min(line.quantity, value + 1) })
                    }
                    onType={(typed) =>
                      setDelivered({ ...delivered, [line.product_id]: Math.min(line.quantity, typed) })
                    }
                  />
                </li>
              );
            })}
          </ul>
          {/* the stamp duty is paid on top of the cash paid on the order: the driver takes both */}
          <dl class="totals card">
            <dt>{t("amount_due")}</dt>
            <dd>
              <Money value={owed} />
            </dd>
            <dt>{t("stamp_duty")}</dt>
            <dd>
              <Money value={duty} />
            </dd>
            <dt class="grand">{t("cash_to_take")}</dt>
            <dd class="grand">
              <Money value={cashValid ? withStampDuty(cash) : 0} />
            </dd>
          </dl>
          <label>
            {t("cash_taken")}
            <input
              inputMode="decimal"
              dir="ltr"
              value={
                cashText ??
                (lang === "en" ? (owed / 100).toFixed(2) : (owed / 100).toFixed(2).replace(".", ","))
              }
              aria-invalid={!cashValid}
              onInput={(e) => setCashText(e.currentTarget.value)}
            />
          </label>
          {!cashValid && <p class="error">{money(due, lang)}</p>}
          <button type="submit" class="primary" disabled={!cashValid}>
            {t("confirm_delivery")}
          </button>
        </form>
      )}
      {!done && (
        <fieldset class="card">
          <legend>{t("not_delivered")}</legend>
          {REASONS.map((key) => (
            <label class="choice" key={key}>
              <input type="radio" name="reason" checked={reason === key} onChange={() => setReason(key)} />
              {t(`failure_${key}`)}
            </label>
          ))}
          {reason === "other" && (
            <label>
              {t("failure_note")}
              <input value={note} maxLength={500} required onInput={(e) => setNote(e.currentTarget.value)} />
            </label>
          )}
          <button
            type="button"
            class="secondary danger"
            disabled={!reasonGiven}
            onClick={() => void notDelivered()}
          >
            {t("not_delivered")}
          </button>
        </fieldset>
      )}
    </Layout>
  );
}
