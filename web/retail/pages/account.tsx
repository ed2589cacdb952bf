// The account: language, the shop's credit and statement (owner), this user's devices,
// phone, password, two-step verification, and signing out (of this device or all). Queued writes survive a sign-out.

import { useEffect, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api } from "../../shared/api/client";
import type { LedgerEntry } from "../../shared/api/types";
import { device } from "../../shared/device";
import { date, ltr, phoneNumber } from "../../shared/format";
import type { Key } from "../../shared/i18n";
import { clearUserData } from "../../shared/offline/db";
import { appendNew } from "../../shared/paging";
import { disablePush, enablePush, type PushState, pushState } from "../../shared/push";
import { useStore } from "../../shared/store";
import { clearCart } from "../cart";
import { LanguagePicker } from "../components/language";
import { Layout } from "../components/layout";
import {
  attempt,
  CodeInput,
  Loading,
  Money,
  More,
  NewPasswordInput,
  Notice,
  Unread,
  useServer,
} from "../components/ui";
import { credentials, i18n, isOwner, me, online, queue, signedIn, useT } from "../state";
import { useCredit } from "./cart";
import { TwoFactor } from "./two_factor";

/** The support line's WhatsApp number (digits, international), set at build time. */
const SUPPORT = (import.meta.env.VITE_SUPPORT_WHATSAPP as string | undefined)?.replace(/\D/g, "");

const LEDGER_PAGE = 20;
const entryId = (entry: LedgerEntry) => entry.entry_id;

/** What a statement line is, in the shop's words: a delivery owed, a payment and how, a correction. */
function entryKind(entry: LedgerEntry): Key {
  if (entry.kind === "delivery") return "entry_delivery";
  if (entry.kind === "reversal") return "entry_reversal";
  const method = entry.method;
  return method === "cash" || method === "cheque" || method === "transfer"
    ? `entry_payment_${method}`
    : "entry_payment";
}

function CreditCard() {
  const t = useT();
  const { lang } = useStore(i18n);
  const profile = useStore(me);
  const credit = useCredit();
  const retailerId = profile?.retailer?.retailer_id ?? "";
  const page = (cursor: string | null) =>
    api
      .GET("/v1/retailers/{retailer_id}/ledger", {
        params: { path: { retailer_id: retailerId }, query: { limit: LEDGER_PAGE, cursor } },
      })
      .then(
        (reply) => reply.data && { entries: reply.data.data, next: reply.data.meta?.next_cursor ?? null },
      );
  // the newest lines (never kept on the phone), then the older ones opened below them: a
  // connection that comes and goes reads the newest again, the older ones stay
  const newest = useServer(() => page(null), [retailerId]);
  const [older, setOlder] = useState<{ entries: LedgerEntry[]; next: string | null } | null>(null);
  const ledger = newest.value ? appendNew(newest.value.entries, older?.entries ?? [], entryId) : [];
  const next = older ? older.next : (newest.value?.next ?? null);
  async function more(): Promise<void> {
    const part = await page(next);
    if (!part) throw new Error("the older lines did not come");
    setOlder({ entries: appendNew(older?.entries ?? [], part.entries, entryId), next: part.next });
  }
  if (!credit) return null;
  return (
    <section class="card">
      <h2>{t("credit_title")}</h2>
      <dl class="totals">
        <dt>{t("credit_limit")}</dt>
        <dd>
          <Money value={credit.credit_limit} />
        </dd>
        <dt>{t("balance")}</dt>
        <dd>
          <Money value={credit.balance} />
        </dd>
        <dt class="grand">{t("available")}</dt>
        <dd class="grand">
          <Money value={credit.available} />
        </dd>
        {credit.overdue_amount > 0 && (
          <>
            <dt class="warn">{t("overdue")}</dt>
            <dd class="warn">
              <Money value={credit.overdue_amount} />
            </dd>
          </>
        )}
      </dl>
      {credit.oldest_due_date && (
        <p class="meta">{t("oldest_due", { date: date(credit.oldest_due_date, lang) })}</p>
      )}
      {newest.value === null && (
        <Unread
          onRetry={newest.retry}
          kept={false}
          failed={t("ledger_failed")}
          offline={t("ledger_offline")}
        />
      )}
      {ledger.length > 0 && (
        <details>
          <summary>{t("ledger")}</summary>
          <ul class="lines compact statement">
            {ledger.map((entry) => (
              <li key={entry.entry_id}>
                <p>
                  <span>
                    <strong>{t(entryKind(entry))}</strong>{" "}
                    {entry.order_number && <bdi>{entry.order_number}</bdi>}
                  </span>
                  <Money value={entry.amount} signed />
                </p>
                <p class="meta">
                  <span>{date(entry.created_at, lang)}</span>
                  <span>
                    {t("balance_after")} <Money value={entry.balance_after} />
                  </span>
                </p>
                {entry.kind === "delivery" && entry.due_date && (
                  <p class="meta">{t("due_on", { date: date(entry.due_date, lang) })}</p>
                )}
              </li>
            ))}
          </ul>
          {next && <More label={t("older_entries")} load={more} />}
        </details>
      )}
    </section>
  );
}

function PushToggle() {
  const t = useT();
  const [state, setState] = useState<PushState | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    void pushState()
      .then(setState)
      .catch(() => setState("unsupported"));
  }, []);
  if (state === null) return null;
  if (state === "unsupported") return <p class="hint">{t("push_unsupported")}</p>;
  async function toggle(on: boolean) {
    setFailed(false);
    try {
      setState(on ? await enablePush() : await disablePush());
    } catch {
      setFailed(true);
      setState(await pushState().catch(() => "off" as const));
    }
  }
  return (
    <>
      <label class="choice">
        <input
          type="checkbox"
          checked={state === "on"}
          disabled={state === "blocked"}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        {t("push_on_phone")}
      </label>
      {state === "blocked" && <p class="hint">{t("push_blocked")}</p>}
      {failed && (
        <p class="error" role="alert">
          {t("push_failed")}
        </p>
      )}
    </>
  );
}

function Notifications() {
  const t = useT();
  const isOnline = useStore(online);
  const prefs = useServer(() => api.GET("/v1/me/notifications", {}).then((reply) => reply.data?.data));
  const [unsaved, setUnsaved] = useState(false);
  async function save(patch: { channel?: "whatsapp" | "sms"; opted_out?: boolean }) {
    const reply = await api.PATCH("/v1/me/notifications", { body: patch }).catch(() => null);
    setUnsaved(!reply?.data);
    // a refused change puts the choices back as the server keeps them (a new copy: repainted)
    if (prefs.value) prefs.set(reply?.data ? reply.data.data : { ...prefs.value });
  }
  const value = prefs.value;
  if (!value)
    return (
      <section class="card">
        <h2>{t("notifications_title")}</h2>
        {value === undefined ? <Loading /> : <Unread onRetry={prefs.retry} kept={false} />}
      </section>
    );
  return (
    <fieldset class="card">
      <legend>{t("notifications_title")}</legend>
      {(["whatsapp", "sms"] as const).map((channel) => (
        <label class="choice" key={channel}>
          <input
            type="radio"
            name="channel"
            checked={value.channel === channel}
            disabled={value.opted_out}
            onChange={() => void save({ channel })}
          />
          {t(channel === "whatsapp" ? "channel_whatsapp" : "channel_sms")}
        </label>
      ))}
      <PushToggle />
      <label class="choice">
        <input
          type="checkbox"
          checked={value.opted_out}
          onChange={(e) => void save({ opted_out: e.currentTarget.checked })}
        />
        {t("opt_out")}
      </label>
      {unsaved && (
        <p class="error" role="alert">
          {t(isOnline ? "error_generic" : "not_saved_offline")}
        </p>
      )}
    </fieldset>
  );
}

function Sessions() {
  const t = useT();
  const { lang } = useStore(i18n);
  // this device first, then the others as the server lists them
  const sessions = useServer(() =>
    api
      .GET("/v1/me/sessions", {})
      .then(
        (reply) =>
          reply.data && [...reply.data.data].sort((a, b) => Number(!!b.current) - Number(!!a.current)),
      ),
  );
  const list = sessions.value;
  return (
    <section class="card">
      <h2>{t("sessions")}</h2>
      {list === undefined && <Loading />}
      {list === null && <Unread onRetry={sessions.retry} kept={false} />}
      {list && (
        <ul class="lines compact devices">
          {list.map((session) => {
            const name = session.current
              ? t("this_device")
              : (device(session.user_agent) ?? t("other_device"));
            return (
              <li key={session.session_id}>
                <div>
                  <bdi>{name}</bdi>
                  <span class="meta">
                    {t("last_used", { time: date(session.last_used_at, lang, "dayTime") })}
                  </span>
                </div>
                {!session.current && (
                  <button
                    type="button"
                    class="secondary"
                    aria-label={t("end_session", { device: name })}
                    onClick={() =>
                      void api
                        .DELETE("/v1/me/sessions/{session_id}", {
                          params: { path: { session_id: session.session_id } },
                        })
                        .then(sessions.retry, sessions.retry)
                    }
                  >
                    {t("log_out")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function PasswordForm() {
  const t = useT();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const body = { current_password: current, new_password: next };
    const outcome = await attempt(t, () => api.POST("/v1/me/password", { body }));
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    const profile = me.get();
    if (profile) signedIn(outcome.data.data, profile);
    setCurrent("");
    setNext("");
    setMessage({ ok: true, text: t("password_changed") });
  }
  return (
    <details class="card">
      <summary>{t("change_password")}</summary>
      <form onSubmit={submit} class="stack">
        <label>
          {t("current_password")}
          <input
            type="password"
            autocomplete="current-password"
            required
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </label>
        <label>
          {t("new_password")}
          <NewPasswordInput value={next} onValue={setNext} />
        </label>
        <Notice message={message} />
        <button type="submit" class="primary">
          {t("save")}
        </button>
      </form>
    </details>
  );
}

function PhoneForm() {
  const t = useT();
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function ask(event: Event) {
    event.preventDefault();
    setMessage(null);
    const outcome = await attempt(t, () => api.POST("/v1/me/phone", { body: { phone } }));
    if ("failure" in outcome) setMessage({ ok: false, text: outcome.failure });
    else setSentTo(outcome.data.data.phone);
  }
  async function confirmCode(event: Event) {
    event.preventDefault();
    setMessage(null);
    const body = { phone: sentTo ?? phone, code };
    const outcome = await attempt(t, () => api.POST("/v1/me/phone/confirm", { body }));
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    me.set(outcome.data.data);
    setSentTo(null);
    setPhone("");
    setCode("");
    setMessage({ ok: true, text: t("phone_changed") });
  }
  return (
    <details class="card">
      <summary>{t("change_phone")}</summary>
      {sentTo === null ? (
        <form onSubmit={ask} class="stack">
          <label>
            {t("new_phone")}
            <input
              type="tel"
              inputMode="tel"
              dir="ltr"
              autocomplete="tel"
              required
              value={phone}
              onInput={(e) => setPhone(e.currentTarget.value)}
            />
          </label>
          <button type="submit" class="primary">
            {t("send_code")}
          </button>
        </form>
      ) : (
        <form onSubmit={confirmCode} class="stack">
          <p role="status">{t("phone_code_sent", { phone: ltr(phoneNumber(sentTo)) })}</p>
          <label>
            {t("code")}
            <CodeInput value={code} onValue={setCode} />
          </label>
          <button type="submit" class="primary">
            {t("save")}
          </button>
        </form>
      )}
      <Notice message={message} />
    </details>
  );
}

export default function Account() {
  const t = useT();
  const profile = useStore(me);
  const jobs = useStore(queue);
  const { route } = useLocation();
  const waiting = jobs.some((job) => job.state !== "done");

  async function logOut(everywhere: boolean) {
    if (waiting && !confirm(t("logout_waiting"))) return;
    await api.POST(everywhere ? "/v1/auth/logout-all" : "/v1/auth/logout", {}).catch(() => undefined);
    credentials.set(null);
    me.set(null);
    clearCart();
    await clearUserData(waiting);
    route("/login", true);
  }

  return (
    <Layout title={t("account_title")}>
      <section class="card">
        <h2>
          <bdi>{profile?.user.full_name}</bdi>
        </h2>
        <p class="meta">
          <bdi>{profile?.user.username}</bdi>
          {profile?.retailer && <bdi>{profile.retailer.business_name}</bdi>}
        </p>
        <LanguagePicker />
      </section>
      {isOwner(profile) && <CreditCard />}
      {isOwner(profile) && (
        <a class="button secondary" href="/team">
          {t("team_link")}
        </a>
      )}
      <Notifications />
      <Sessions />
      <PhoneForm />
      <PasswordForm />
      <TwoFactor />
      <section class="card actions">
        <button type="button" class="secondary" onClick={() => void logOut(false)}>
          {t("log_out")}
        </button>
        <button type="button" class="secondary danger" onClick={() => void logOut(true)}>
          {t("log_out_all")}
        </button>
      </section>
      {SUPPORT && (
        <p class="support">
          <a href={`https://wa.me/${SUPPORT}`} rel="noopener">
            {t("support")}
          </a>
        </p>
      )}
    </Layout>
  );
}
