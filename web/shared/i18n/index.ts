// Arabic ships with the app; French and English load when chosen (one small chunk each).
import { ar, type Key, type Messages } from "./ar";
import type { Lang } from "./langs";

const loaded: Partial<Record<Lang, Messages>> = { ar };

export async function loadMessages(lang: Lang): Promise<Messages> {
  const known = loaded[lang];
  if (known) return known;
  const messages = lang === "fr" ? (await import("./fr")).fr : (await import("./en")).en;
  loaded[lang] = messages;
  return messages;
}

export function messagesFor(lang: Lang): Messages | undefined {
  return loaded[lang];
}

export type Params = Record<string, string | number>;

/** A message with its {placeholders} filled; values are inserted as given (format them first). */
export function translate(messages: Messages, key: Key, params?: Params): string {
  const text: string = messages[key] ?? ar[key] ?? key; // a code the app does not know yet: shown as is
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type { Key, Messages };
