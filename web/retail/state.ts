// What every screen of the app reads: the language, who is signed in, the connection, the
// device's queue and when data was last synced. Kept in localStorage (small, read at start,
// before anything renders) except the queue and the catalog, which live in IndexedDB.
import { type Credentials, configureAuth, credentialsFrom } from "../shared/api/client";
import type { Me, Token } from "../shared/api/types";
import { type Key, loadMessages, type Messages, messagesFor, type Params, translate } from "../shared/i18n";
import { DEFAULT_LANG, direction, isLang, type Lang } from "../shared/i18n/langs";
import type { Job } from "../shared/offline/rules";
import { createStore, useStore } from "../shared/store";

const KEYS = {
  lang: "livrili.lang",
  credentials: "livrili.credentials",
  me: "livrili.me",
  onboarding: "livrili.onboarding",
} as const;

function read<T>(key: string): T | null {
  try {
    const text = typeof localStorage === "undefined" ? null : localStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(value));
}

export interface I18n {
  lang: Lang;
  messages: Messages;
}

// the language chosen on this phone, else the signed-in account's (a French-speaking shop that
// never tapped a language keeps French from one start to the next), else Arabic
const storedLang = read<string>(KEYS.lang);
const accountLang = read<Me>(KEYS.me)?.user.language;
const firstLang: Lang = isLang(storedLang) ? storedLang : isLang(accountLang) ? accountLang : DEFAULT_LANG;
export const i18n = createStore<I18n>({
  lang: firstLang,
  messages: messagesFor(firstLang) ?? (messagesFor(DEFAULT_LANG) as Messages),
});

export async function setLanguage(lang: Lang, remember = true): Promise<void> {
  const messages = await loadMessages(lang);
  if (remember) write(KEYS.lang, lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = direction(lang);
  i18n.set({ lang, messages });
}

export function hasChosenLanguage(): boolean {
  return chosenLanguage() !== null;
}

/** The language the user picked on this device, if any (the login's buttons, the account). */
export function chosenLanguage(): Lang | null {
  const stored = read<string>(KEYS.lang);
  return isLang(stored) ? stored : null;
}

/** The active language's text for a key. */
export function useT(): (key: Key, params?: Params) => string {
  const { messages } = useStore(i18n);
  return (key, params) => translate(messages, key, params);
}

export const credentials = createStore<Credentials | null>(read<Credentials>(KEYS.credentials));
credentials.subscribe((value) => write(KEYS.credentials, value));

export const me = createStore<Me | null>(read<Me>(KEYS.me));
me.subscribe((value) => write(KEYS.me, value));

/** Who was signed in when the server ended the session (signed out from another device, the
 * password changed, the account disabled): the login says so and starts from that name. */
export const sessionEnded = createStore<string | null>(null);

configureAuth({
  get: credentials.get,
  // the client clears the credentials only when the server has ended the session
  set: (value) => {
    if (value === null && credentials.get()) sessionEnded.set(me.get()?.user.username ?? "");
    credentials.set(value);
    if (value === null) me.set(null);
  },
  language: () => i18n.get().lang,
});

/** A shop registered from this phone and waiting for approval: its onboarding token lets it
 * send its documents (until it expires, or its owner signs in: the shop was approved). */
export interface Onboarding {
  retailer_id: string;
  token: string;
  /** epoch ms */
  expires_at: number;
  shop: string;
  username: string;
  phone: string;
}

export const onboarding = createStore<Onboarding | null>(read<Onboarding>(KEYS.onboarding));
onboarding.subscribe((value) => write(KEYS.onboarding, value));

/** The registration waiting on this phone, unless its token has expired. */
export function waitingShop(now = Date.now()): Onboarding | null {
  const value = onboarding.get();
  return value && value.expires_at > now ? value : null;
}

export function signedIn(token: Token, profile: Me): void {
  sessionEnded.set(null);
  credentials.set(credentialsFrom(token));
  me.set(profile);
  if (onboarding.get()?.username === profile.user.username) onboarding.set(null); // approved: in
}

export const online = createStore<boolean>(typeof navigator === "undefined" ? true : navigator.onLine);
export const queue = createStore<Job[]>([]);
export const syncedAt = createStore<string | null>(null);

export function isDriver(profile: Me | null): boolean {
  return profile?.user.role === "driver";
}

export function isOwner(profile: Me | null): boolean {
  return profile?.user.role === "owner";
}
