// Small pieces every screen uses: amounts, status badges, the stepper, empty and error states,
// the end of a long list.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { problemOf } from "../../shared/api/client";
import type { OrderStatus } from "../../shared/api/types";
import { money, parseCount } from "../../shared/format";
import { discard } from "../../shared/offline/queue";
import type { Job } from "../../shared/offline/rules";
import { useStore } from "../../shared/store";
import { i18n, online, useT } from "../state";

export function Money({ value, signed = false }: { value: number; signed?: boolean }) {
  const { lang } = useStore(i18n);
  return <bdi class="money">{money(value, lang, signed)}</bdi>;
}

export function Status({ status }: { status: OrderStatus }) {
  const t = useT();
  return <span class={`badge status-${status}`}>{t(`status_${status}`)}</span>;
}

export function Stepper(props: {
  label: string;
  value: number;
  onMinus: () => void;
  onPlus: () => void;
  canPlus: boolean;
  minusLabel: string;
  plusLabel: string;
  /** A number typed in place of the taps (the caller makes it valid); without it the value is
   * only shown. Twenty packs are typed, not tapped twenty times. */
  onType?: (typed: number) => void;
}) {
  // what is being typed, until it is taken (leaving the field, or Enter: never the form's submit)
  const [text, setText] = useState<string | null>(null);
  const take = () => {
    if (text === null) return;
    const typed = parseCount(text);
    setText(null);
    if (typed !== null) props.onType?.(typed);
  };
  return (
    <div class="stepper">
      <button
        type="button"
        class="step"
        aria-label={props.minusLabel}
        onClick={props.onMinus}
        disabled={props.value === 0}
      >
        −
      </button>
      {props.onType ? (
        <input
          class="count"
          type="text"
          inputMode="numeric"
          enterKeyHint="done"
          autocomplete="off"
          aria-label={props.label}
          value={text ?? String(props.value)}
          onFocus={(e) => e.currentTarget.select()}
          onInput={(e) => setText(e.currentTarget.value)}
          onBlur={take}
          onKeyDown={(e) => {
            if (e.key !== "Enter") return;
            e.preventDefault();
            e.currentTarget.blur();
          }}
        />
      ) : (
        <output aria-label={props.label} aria-live="polite">
          {props.value}
        </output>
      )}
      <button
        type="button"
        class="step"
        aria-label={props.plusLabel}
        onClick={props.onPlus}
        disabled={!props.canPlus}
      >
        +
      </button>
    </div>
  );
}

/** An empty list says so, and shows the next step as a button when there is one. */
export function Empty({
  children,
  next,
}: {
  children: ComponentChildren;
  next?: { href: string; label: string };
}) {
  return (
    <div class="empty">
      <p>{children}</p>
      {next && (
        <a class="button primary" href={next.href}>
          {next.label}
        </a>
      )}
    </div>
  );
}

/** A list or a section the server could not give and the phone keeps none of, said by
 * connection with a retry (never "nothing here" for a list that was not read). Offline, it says
 * nothing is kept on the phone for it yet — or, for what is never kept (`kept` false: the
 * user's devices, their notification choices, the statement), quietly that it needs a
 * connection: being offline is no error, and it is read again as soon as the connection is back
 * (`useServer`). `failed` and `offline` name what could not come, where the screen says more
 * than one thing. */
export function Unread({
  onRetry,
  kept = true,
  failed,
  offline,
}: {
  onRetry: () => void;
  kept?: boolean;
  failed?: string;
  offline?: string;
}) {
  const t = useT();
  const isOnline = useStore(online);
  if (isOnline) return <Problem message={failed ?? t("error_generic")} onRetry={onRetry} />;
  if (kept) return <Problem message={offline ?? t("error_offline_data")} onRetry={onRetry} />;
  return (
    <p class="hint" role="status">
      {offline ?? t("needs_network")}
    </p>
  );
}

/** What a screen reads from the server alone (kept nowhere on the device): `undefined` while it
 * first comes, `null` when it could not come (read again when the connection comes back);
 * `retry` asks again, keeping what is shown until the answer; `set` keeps a newer copy (a save's
 * reply). */
export function useServer<T>(
  read: () => Promise<T | undefined>,
  deps: unknown[] = [],
): { value: T | null | undefined; retry: () => void; set: (value: T) => void } {
  const [value, set] = useState<T | null | undefined>(undefined);
  const [tries, setTries] = useState(0);
  const isOnline = useStore(online);
  useEffect(() => {
    if (isOnline && value === null) setTries((n) => n + 1); // the connection is back: read again
  }, [isOnline]);
  useEffect(() => set(undefined), deps); // another thing to read: nothing of the last one shown
  useEffect(() => {
    let current = true;
    // read again (a retry, a change made): what is shown stays until the answer replaces it
    read()
      .then((got) => current && set((shown) => got ?? shown ?? null))
      .catch(() => current && set((shown) => shown ?? null));
    return () => {
      current = false;
    };
  }, [...deps, tries]);
  return { value, retry: () => setTries((n) => n + 1), set };
}

export function Problem({ message, onRetry }: { message: string; onRetry?: () => void }) {
  const t = useT();
  return (
    <div class="problem" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p class="loading" aria-busy="true">
      {t("loading")}
    </p>
  );
}

/** A one-time code: the 6 digits a phone received (SMS autofill, digits only, left to right in
 * Arabic), or, with `recovery`, also an authenticator's recovery code (abcde-fghjk). */
export function CodeInput({
  value,
  onValue,
  recovery = false,
}: {
  value: string;
  onValue: (code: string) => void;
  recovery?: boolean;
}) {
  return (
    <input
      inputMode={recovery ? "text" : "numeric"}
      autocomplete="one-time-code"
      pattern={recovery ? "\\s*([0-9]{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})\\s*" : "[0-9]{6}"}
      maxLength={recovery ? 13 : 6}
      dir="ltr"
      required
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );
}

/** A form's outcome under it: a quiet confirmation, or what went wrong. */
export function Notice({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return (
    <p class={message.ok ? "hint" : "error"} role="status">
      {message.text}
    </p>
  );
}

/** A new password, with the API's rule (10 characters or more; a letter and a digit it checks). */
export function NewPasswordInput({
  value,
  onValue,
  id,
}: {
  value: string;
  onValue: (password: string) => void;
  id?: string;
}) {
  return (
    <input
      id={id}
      type="password"
      autocomplete="new-password"
      minLength={10}
      required
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );
}

type Translate = ReturnType<typeof useT>;

/** A form's request: its reply's data, or the sentence saying why not — the server's message
 * in the user's language, or that this needs the network. */
export async function attempt<T>(
  t: Translate,
  call: () => Promise<{ data?: T; error?: unknown }>,
): Promise<{ data: T } | { failure: string }> {
  try {
    const reply = await call();
    if (reply.data !== undefined) return { data: reply.data };
    return { failure: problemOf(reply.error).message || t("error_generic") };
  } catch {
    return { failure: t("login_needs_network") };
  }
}

/** The end of a list that has more: the next part loads as the list's end comes near the
 * screen (a thumb scrolling never waits on a button), and on a tap (the keyboard, a screen
 * reader). A part that cannot load says so and offers the tap again; it is never retried in a
 * loop. `load` puts the part after the list (or throws). */
export function More({ label, load }: { label: string; load: () => Promise<void> }) {
  const t = useT();
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const button = useRef<HTMLButtonElement>(null);
  const busy = useRef(false);
  // the screen's latest `load` (a new function at each render): the watch below is set up once
  // per state, not again at every tap on a stepper of the list above
  const latest = useRef(load);
  latest.current = load;
  const go = async () => {
    if (busy.current) return;
    busy.current = true;
    setState("busy");
    try {
      await latest.current();
      setState("idle");
    } catch {
      setState("failed");
    } finally {
      busy.current = false;
    }
  };
  useEffect(() => {
    const node = button.current;
    if (state !== "idle" || !node || typeof IntersectionObserver === "undefined") return;
    // a screen ahead: the part is usually there before the thumb reaches the end
    const watch = new IntersectionObserver(
      (seen) => seen.some((entry) => entry.isIntersecting) && void go(),
      {
        rootMargin: "0px 0px 100% 0px",
      },
    );
    watch.observe(node);
    return () => watch.disconnect();
  }, [state]);
  return (
    <div class="more">
      {state === "failed" && (
        <p class="error" role="alert">
          {t("more_failed")}
        </p>
      )}
      <button
        type="button"
        class="secondary"
        ref={button}
        aria-busy={state === "busy"}
        onClick={() => void go()}
      >
        {state === "busy" ? t("loading") : state === "failed" ? t("retry") : label}
      </button>
    </div>
  );
}

/** A write the server refused (the order had moved on meanwhile): what it was, the server's
 * reason, and "understood" to put it away. */
export function Refused({ title, job }: { title: string; job: Job }) {
  const t = useT();
  return (
    <li class="order job job-failed">
      <p>
        <strong>{title}</strong>
      </p>
      <p class="error">{job.problem?.message}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => void discard(job.id)}>
          {t("understood")}
        </button>
      </div>
    </li>
  );
}
