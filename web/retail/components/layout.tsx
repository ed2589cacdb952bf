// The frames of the screens. Signed in: the connection and sync line at the top (offline is a
// normal state: it says what is saved and what waits), the tabs at the bottom within thumb reach.
// Signed out: the language buttons and the brand above the form.
import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { date } from "../../shared/format";
import { useStore } from "../../shared/store";
import { cart } from "../cart";
import { i18n, isDriver, me, online, queue, syncedAt, useT } from "../state";
import { LanguagePicker } from "./language";

function SyncLine() {
  const t = useT();
  const { lang } = useStore(i18n);
  const isOnline = useStore(online);
  const jobs = useStore(queue);
  const at = useStore(syncedAt);
  const profile = useStore(me); // a driver's writes are on the round, a shop's in its orders
  const waiting = jobs.filter((job) => job.state === "waiting").length;
  const attention = jobs.filter((job) => job.state === "failed").length;
  const synced = at ? t("synced_at", { time: date(at, lang, "time") }) : t("never_synced");
  return (
    <div class={`syncline ${isOnline ? "" : "is-offline"}`} role="status" aria-live="polite">
      {!isOnline && <strong>{t("offline")}</strong>}
      <span>{synced}</span>
      {waiting > 0 && <span class="pill">{t("waiting_to_send", { n: waiting })}</span>}
      {attention > 0 && (
        <a class="pill warn" href={isDriver(profile) ? "/" : "/orders"}>
          {t("needs_attention", { n: attention })}
        </a>
      )}
    </div>
  );
}

/** A tab: the current page's, or the section's of a page reached from it (`within`: an order from
 * the orders, a delivery from the round, the shop's users from the account). */
function Tab({
  href,
  label,
  badge,
  within,
}: {
  href: string;
  label: string;
  badge?: number;
  within?: string;
}) {
  const { path } = useLocation();
  const current = path === href ? "page" : within && path.startsWith(within) ? "true" : undefined;
  return (
    <a href={href} class="tab" aria-current={current}>
      <span>{label}</span>
      {badge ? <span class="count">{badge}</span> : null}
    </a>
  );
}

export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  const t = useT();
  const profile = useStore(me);
  const lines = useStore(cart).lines.length;
  const isOnline = useStore(online);
  return (
    <>
      <a class="skip" href="#main">
        {t("skip_to_content")}
      </a>
      <header class="top">
        <h1>{title}</h1>
        <SyncLine />
        {!isOnline && <p class="hint">{t("offline_hint")}</p>}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <nav class="tabs" aria-label={t("app_name")}>
        {isDriver(profile) ? (
          <>
            <Tab href="/" label={t("nav_deliveries")} within="/deliveries/" />
            <Tab href="/account" label={t("nav_account")} />
          </>
        ) : (
          <>
            <Tab href="/" label={t("nav_catalog")} />
            <Tab href="/cart" label={t("nav_cart")} badge={lines} />
            <Tab href="/orders" label={t("nav_orders")} within="/orders/" />
            <Tab href="/account" label={t("nav_account")} within="/team" />
          </>
        )}
      </nav>
    </>
  );
}

/** The frame of the signed-out screens (sign in, a first password, a forgotten one). */
export function Welcome({ children }: { children: ComponentChildren }) {
  const t = useT();
  return (
    <main id="main" class="login">
      <LanguagePicker />
      <h1 class="brand">{t("app_name")}</h1>
      {children}
    </main>
  );
}
