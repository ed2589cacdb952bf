// The owner's shop users: who can order for the shop, their role, and who is disabled; adding
// a buyer or another owner (the shop gives them the username and password it chose).
import { useState } from "preact/hooks";
import { api, problemOf } from "../../shared/api/client";
import type { User } from "../../shared/api/types";
import { phoneNumber } from "../../shared/format";
import { useStore } from "../../shared/store";
import { Layout } from "../components/layout";
import { attempt, Loading, NewPasswordInput, Notice, Unread, useServer } from "../components/ui";
import { me, useT } from "../state";

function AddUser({ retailerId, onAdded }: { retailerId: string; onAdded: () => void }) {
  const t = useT();
  const [form, setForm] = useState({ full_name: "", username: "", phone: "", password: "", role: "buyer" });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });
  async function submit(event: Event) {
    event.preventDefault();
    const body = { ...form, role: form.role as "owner" | "buyer", language: "ar" as const };
    const path = { retailer_id: retailerId };
    const outcome = await attempt(t, () =>
      api.POST("/v1/retailers/{retailer_id}/users", { params: { path }, body }),
    );
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    setMessage({ ok: true, text: t("user_added") });
    setForm({ full_name: "", username: "", phone: "", password: "", role: "buyer" });
    onAdded();
  }
  return (
    <details class="card">
      <summary>{t("add_user")}</summary>
      <form class="stack" onSubmit={submit}>
        <label>
          {t("full_name")}
          <input dir="auto" required autocomplete="off" {...field("full_name")} />
        </label>
        <label>
          {t("username")}
          <input dir="ltr" required minLength={3} autocomplete="off" {...field("username")} />
        </label>
        <label>
          {t("phone")}
          <input dir="ltr" type="tel" inputMode="tel" required autocomplete="off" {...field("phone")} />
        </label>
        <label>
          {t("password")}
          <NewPasswordInput value={form.password} onValue={(password) => setForm({ ...form, password })} />
        </label>
        <label>
          {t("role")}
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            <option value="buyer">{t("role_buyer")}</option>
            <option value="owner">{t("role_owner")}</option>
          </select>
        </label>
        <Notice message={message} />
        <button type="submit" class="primary">
          {t("add_user")}
        </button>
      </form>
    </details>
  );
}

export default function Team() {
  const t = useT();
  const profile = useStore(me);
  const retailerId = profile?.retailer?.retailer_id ?? "";
  const team = useServer(
    () =>
      api
        .GET("/v1/retailers/{retailer_id}/users", { params: { path: { retailer_id: retailerId } } })
        .then((reply) => reply.data?.data),
    [retailerId],
  );
  const users = team.value;
  const load = team.retry;
  const [error, setError] = useState<string | null>(null);

  async function change(user: User, patch: { role?: "owner" | "buyer"; is_active?: boolean }) {
    setError(null);
    const reply = await api
      .PATCH("/v1/retailers/{retailer_id}/users/{user_id}", {
        params: { path: { retailer_id: retailerId, user_id: user.user_id } },
        body: patch,
      })
      .catch(() => null);
    if (!reply) setError(t("login_needs_network"));
    else if (reply.error) setError(problemOf(reply.error).message || t("error_generic"));
    load();
  }

  return (
    <Layout title={t("team_title")}>
      {users === undefined ? (
        <Loading />
      ) : users === null ? (
        <Unread onRetry={load} kept={false} />
      ) : (
        <ul class="orders">
          {users.map((user) => {
            const self = user.user_id === profile?.user.user_id;
            return (
              <li key={user.user_id} class="order delivery">
                <strong id={`user-${user.user_id}`}>
                  <bdi>{user.full_name}</bdi> {self && <span class="badge">{t("you")}</span>}
                </strong>
                <span class="meta">
                  <bdi>{user.username}</bdi>
                  {user.phone && <bdi dir="ltr">{phoneNumber(user.phone)}</bdi>}
                  <span>{t(user.role === "owner" ? "role_owner" : "role_buyer")}</span>
                  <span>{t(user.is_active ? "active" : "disabled")}</span>
                </span>
                {!self && (
                  <div class="actions">
                    {/* each button also names its user (read after its own words) */}
                    <button
                      type="button"
                      class="secondary"
                      aria-describedby={`user-${user.user_id}`}
                      onClick={() => void change(user, { role: user.role === "owner" ? "buyer" : "owner" })}
                    >
                      {t(user.role === "owner" ? "make_buyer" : "make_owner")}
                    </button>
                    <button
                      type="button"
                      class={user.is_active ? "secondary danger" : "secondary"}
                      aria-describedby={`user-${user.user_id}`}
                      onClick={() => void change(user, { is_active: !user.is_active })}
                    >
                      {t(user.is_active ? "disable" : "enable")}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {retailerId && <AddUser retailerId={retailerId} onAdded={load} />}
    </Layout>
  );
}
