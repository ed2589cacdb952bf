// Two-step verification on the account screen: set up an authenticator app (the QR code or
// its secret, then its first code; the recovery codes shown once), or turn it off.

import { useState } from "preact/hooks";
import { api } from "../../shared/api/client";
import { useStore } from "../../shared/store";
import { attempt, CodeInput, Notice } from "../components/ui";
import { me, signedIn, useT } from "../state";

type Started = { secret: string; qr_svg: string };

/** The secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

export function TwoFactor() {
  const t = useT();
  const profile = useStore(me);
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [started, setStarted] = useState<Started | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const on = profile?.user.two_factor === true;

  function reset() {
    setPassword("");
    setCode("");
    setStarted(null);
  }

  async function start(event: Event) {
    event.preventDefault();
    setMessage(null);
    const outcome = await attempt(t, () => api.POST("/v1/me/two-factor", { body: { password } }));
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    setStarted(outcome.data.data);
    setPassword("");
  }

  async function confirmCode(event: Event) {
    event.preventDefault();
    setMessage(null);
    const outcome = await attempt(t, () => api.POST("/v1/me/two-factor/confirm", { body: { code } }));
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    const { recovery_codes, ...tokens } = outcome.data.data;
    if (profile) signedIn(tokens, { ...profile, user: tokens.user });
    setRecovery(recovery_codes);
    reset();
  }

  async function turnOff(event: Event) {
    event.preventDefault();
    setMessage(null);
    const body = { password, code };
    const outcome = await attempt(t, () => api.POST("/v1/me/two-factor/removal", { body }));
    if ("failure" in outcome) return setMessage({ ok: false, text: outcome.failure });
    if (profile) me.set({ ...profile, user: { ...profile.user, two_factor: false } });
    reset();
    setMessage({ ok: true, text: t("two_factor_turned_off") });
  }

  const passwordField = (
    <label>
      {t("current_password")}
      <input
        type="password"
        autocomplete="current-password"
        required
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
    </label>
  );

  return (
    <details class="card">
      <summary>{t("two_factor_title")}</summary>
      <p class="meta">{t(on ? "two_factor_on" : "two_factor_off")}</p>
      {recovery && (
        <div class="stack" role="status">
          <p>{t("two_factor_recovery")}</p>
          <ul class="codes" dir="ltr">
            {recovery.map((item) => (
              <li key={item}>
                <code>{item}</code>
              </li>
            ))}
          </ul>
          <button type="button" class="primary" onClick={() => setRecovery(null)}>
            {t("two_factor_saved_them")}
          </button>
        </div>
      )}
      {!recovery && on && (
        <form onSubmit={turnOff} class="stack">
          {passwordField}
          <label>
            {t("authenticator_code_label")}
            <CodeInput value={code} onValue={setCode} recovery />
          </label>
          <button type="submit" class="secondary danger">
            {t("two_factor_turn_off")}
          </button>
        </form>
      )}
      {!recovery && !on && started === null && (
        <form onSubmit={start} class="stack">
          <p>{t("two_factor_intro")}</p>
          {passwordField}
          <button type="submit" class="primary">
            {t("two_factor_start")}
          </button>
        </form>
      )}
      {!recovery && !on && started !== null && (
        <form onSubmit={confirmCode} class="stack">
          <p>{t("two_factor_scan")}</p>
          <img class="qr" src={started.qr_svg} width={200} height={200} alt={t("two_factor_qr")} />
          <p class="meta">
            {t("two_factor_secret")} <code dir="ltr">{grouped(started.secret)}</code>
          </p>
          <label>
            {t("two_factor_app_code")}
            <CodeInput value={code} onValue={setCode} />
          </label>
          <button type="submit" class="primary">
            {t("two_factor_turn_on")}
          </button>
        </form>
      )}
      <Notice message={message} />
    </details>
  );
}
