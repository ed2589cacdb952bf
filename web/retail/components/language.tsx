import { api } from "../../shared/api/client";
import { LANGS, type Lang } from "../../shared/i18n/langs";
import { useStore } from "../../shared/store";
import { credentials, i18n, setLanguage, useT } from "../state";

const NAMES: Record<Lang, string> = { ar: "العربية", fr: "Français", en: "English" };

/** Switch the language at once; signed in, the account follows (messages and SMS too). */
export function LanguagePicker() {
  const t = useT();
  const { lang } = useStore(i18n);
  async function choose(next: Lang) {
    await setLanguage(next);
    if (credentials.get() && navigator.onLine) {
      void api.PATCH("/v1/me", { body: { language: next } }).catch(() => undefined);
    }
  }
  return (
    <fieldset class="langs">
      <legend>{t("language")}</legend>
      {LANGS.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={code === lang}
          onClick={() => void choose(code)}
        >
          {NAMES[code]}
        </button>
      ))}
    </fieldset>
  );
}
