import { useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { api } from "../../shared/api/client";
import { Welcome } from "../components/layout";
import { attempt, CodeInput, NewPasswordInput } from "../components/ui";
import { useT } from "../state";

export default function Forgot() {
  const t = useT();
  const { query } = useRoute();
  const [login, setLogin] = useState(query.login ?? ""); // what the login screen had in its field
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [step, setStep] = useState<"ask" | "confirm" | "done">("ask");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<{ error?: unknown; data?: unknown }>, next: typeof step) {
    setBusy(true);
    setError(null);
    const outcome = await attempt(t, action);
    setBusy(false);
    if ("failure" in outcome) setError(outcome.failure);
    else setStep(next);
  }

  const ask = (e: Event) => {
    e.preventDefault();
    void run(() => api.POST("/v1/auth/password-reset", { body: { login: login.trim() } }), "confirm");
  };
  const confirm = (e: Event) => {
    e.preventDefault();
    void run(
      () =>
        api.POST("/v1/auth/password-reset/confirm", {
          body: { login: login.trim(), code: code.trim(), new_password: password },
        }),
      "done",
    );
  };

  return (
    <Welcome>
      <div class="card stack">
        <h2>{t("reset_title")}</h2>
        {step === "ask" && (
          <form onSubmit={ask} class="stack">
            <p>{t("reset_intro")}</p>
            <label>
              {t("username_or_phone")}
              <input
                dir="auto"
                required
                autocomplete="username"
                value={login}
                onInput={(e) => setLogin(e.currentTarget.value)}
              />
            </label>
            <button type="submit" class="primary" disabled={busy}>
              {t("send_code")}
            </button>
          </form>
        )}
        {step === "confirm" && (
          <form onSubmit={confirm} class="stack">
            <p role="status">{t("reset_sent")}</p>
            <label>
              {t("code")}
              <CodeInput value={code} onValue={setCode} />
            </label>
            <label>
              {t("new_password")}
              <NewPasswordInput value={password} onValue={setPassword} />
            </label>
            <button type="submit" class="primary" disabled={busy}>
              {t("save")}
            </button>
          </form>
        )}
        {step === "done" && <p role="status">{t("reset_done")}</p>}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <a href="/login">{t("login_title")}</a>
      </div>
    </Welcome>
  );
}
