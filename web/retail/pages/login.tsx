import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, problemOf } from "../../shared/api/client";
import type { Token } from "../../shared/api/types";
import { isLang } from "../../shared/i18n/langs";
import { useStore } from "../../shared/store";
import { Welcome } from "../components/layout";
import { attempt, CodeInput, NewPasswordInput } from "../components/ui";
import { hasChosenLanguage, online, sessionEnded, setLanguage, signedIn, useT, waitingShop } from "../state";

/** What was typed into the prerendered login before the app started (main.tsx keeps it before
 * the first render), taken once: the fields start from it, and a tap on "sign in" made then is
 * sent with it. */
export const typedBefore = new Map<string, string>();

function takeTyped(name: string): string {
  const value = typedBefore.get(name) ?? "";
  typedBefore.delete(name);
  return value;
}

export default function Login() {
  const t = useT();
  const { route } = useLocation();
  const isOnline = useStore(online);
  const ended = useStore(sessionEnded);
  // a shop registered from this phone and not approved yet: back to its documents. Read after the
  // first render, which matches the prerendered login it hydrates
  const [waiting, setWaiting] = useState(false);
  useEffect(() => setWaiting(waitingShop() !== null), []);
  const [username, setUsername] = useState(() => takeTyped("username") || sessionEnded.get() || "");
  // the session ended with the name filled in: the password is what is left to type
  const passwordField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ended && username === ended) passwordField.current?.focus();
  }, []);
  const [password, setPassword] = useState(() => takeTyped("password"));
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // a second factor the server asked for: its kind and what it said ("we texted you a code")
  const [factor, setFactor] = useState<{ kind: "totp" | "sms"; hint: string } | null>(null);
  const [code, setCode] = useState("");
  // a temporary password (staff an admin made): its session may only choose the user's own
  const [temporary, setTemporary] = useState<Token | null>(null);
  const [chosen, setChosen] = useState("");

  const passwordProps = {
    ref: passwordField,
    required: true,
    value: password,
    onInput: (e: Event) => setPassword((e.currentTarget as HTMLInputElement).value),
  };

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const reply = await api.POST("/v1/auth/login", {
        body: {
          username: username.trim(),
          password,
          device_id: deviceId(),
          ...(factor && code.trim() ? { code: code.trim() } : {}),
        },
      });
      if (!reply.data) {
        const problem = problemOf(reply.error);
        const asked = secondFactor(problem.details);
        if (asked && problem.code !== "second_factor_invalid") {
          setFactor({ kind: asked, hint: problem.message });
          setCode("");
        } else {
          setError(problem.message || t("error_generic"));
        }
        return;
      }
      const token = reply.data.data;
      if (token.user.must_change_password) {
        setTemporary(token);
        return;
      }
      await enter(token);
    } catch {
      setError(t("login_needs_network"));
    } finally {
      setBusy(false);
    }
  }

  /** Into the app with these tokens: the profile, the account's language unless one was chosen. */
  async function enter(token: Token): Promise<void> {
    const profile = await api.GET("/v1/me", {
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
    if (!profile.data) {
      setError(problemOf(profile.error).message || t("error_generic"));
      return;
    }
    const language = token.user.language;
    if (!hasChosenLanguage() && isLang(language)) await setLanguage(language, false);
    signedIn(token, profile.data.data);
    route("/", true);
  }

  /** The user's own password in place of the temporary one (its session ends, a new one opens). */
  async function choose(event: Event) {
    event.preventDefault();
    if (!temporary) return;
    setBusy(true);
    setError(null);
    const outcome = await attempt(t, () =>
      api.POST("/v1/me/password", {
        body: { current_password: password, new_password: chosen },
        headers: { Authorization: `Bearer ${temporary.access_token}` },
      }),
    );
    if ("failure" in outcome) setError(outcome.failure);
    else await enter(outcome.data.data).catch(() => setError(t("login_needs_network")));
    setBusy(false);
  }

  if (temporary) {
    return (
      <Welcome>
        <form onSubmit={choose} class="card stack">
          <h2>{t("first_password_title")}</h2>
          <p class="hint">{t("first_password_hint")}</p>
          {/* for the phone's password manager: whose new password this is */}
          <input
            type="text"
            name="username"
            autocomplete="username"
            value={temporary.user.username}
            hidden
            readOnly
          />
          <label>
            {t("new_password")}
            <NewPasswordInput value={chosen} onValue={setChosen} />
          </label>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {t("first_password_save")}
          </button>
        </form>
      </Welcome>
    );
  }

  return (
    <Welcome>
      <form onSubmit={submit} class="card stack">
        <h2>{t("login_title")}</h2>
        {ended !== null && (
          <p class="hint banner" role="status">
            {t("session_ended")}
          </p>
        )}
        <label>
          {t("username_or_phone")}
          <input
            name="username"
            autocomplete="username"
            dir="auto"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label for="password">{t("password")}</label>
        {/* two inputs, not one with a changing type: the types of <input> differ by kind */}
        {show ? (
          <input
            id="password"
            name="password"
            type="text"
            autocomplete="current-password"
            {...passwordProps}
          />
        ) : (
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            {...passwordProps}
          />
        )}
        <label class="inline">
          <input type="checkbox" checked={show} onChange={(e) => setShow(e.currentTarget.checked)} />
          {t("show_password")}
        </label>
        {factor && (
          <>
            <p class="hint" role="status">
              {factor.hint}
            </p>
            <label>
              {t(factor.kind === "sms" ? "login_code_label" : "authenticator_code_label")}
              <CodeInput value={code} onValue={setCode} recovery={factor.kind === "totp"} />
            </label>
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {!isOnline && <p class="hint">{t("login_needs_network")}</p>}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("signing_in") : t("sign_in")}
        </button>
        {/* what was typed as the username goes along: the reset starts from it */}
        <a href={username.trim() ? `/forgot?login=${encodeURIComponent(username.trim())}` : "/forgot"}>
          {t("forgot_password")}
        </a>
        {waiting ? (
          <a href="/register/documents">{t("registration_documents_link")}</a>
        ) : (
          <a href="/register">{t("register_link")}</a>
        )}
      </form>
    </Welcome>
  );
}

/** The kind of second factor a refused login asks for (`details.second_factor`), if any. */
function secondFactor(details: unknown): "totp" | "sms" | null {
  const kind = (details as { second_factor?: unknown } | null)?.second_factor;
  return kind === "totp" || kind === "sms" ? kind : null;
}

/** One id per installed app, so "my devices" names this phone across logins. */
function deviceId(): string {
  const key = "livrili.device";
  let id = localStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}
