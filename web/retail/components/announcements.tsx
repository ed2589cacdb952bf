// Livrili's announcements on the home screen (a closure, a new delivery day), each dismissed
// with one tap and remembered on the device.
import { useState } from "preact/hooks";
import { useStore } from "../../shared/store";
import { useT } from "../state";
import { announcements } from "../sync";

const DISMISSED = "livrili.dismissed";

function dismissed(): string[] {
  try {
    return JSON.parse(localStorage.getItem(DISMISSED) ?? "[]") as string[];
  } catch {
    return [];
  }
}

export function Announcements() {
  const t = useT();
  const all = useStore(announcements);
  const [hidden, setHidden] = useState(dismissed);
  const shown = all.filter((a) => !hidden.includes(a.announcement_id));
  if (!shown.length) return null;
  function hide(id: string) {
    // only ids still announced are kept: the list stays as short as the announcements
    const next = [...hidden.filter((h) => all.some((a) => a.announcement_id === h)), id];
    localStorage.setItem(DISMISSED, JSON.stringify(next));
    setHidden(next);
  }
  return (
    <ul class="announcements" aria-label={t("announcements")}>
      {shown.map((a) => (
        <li key={a.announcement_id} class="announcement" lang={a.language} dir="auto">
          <p>{a.text}</p>
          <button
            type="button"
            class="secondary"
            aria-label={t("dismiss")}
            onClick={() => hide(a.announcement_id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
