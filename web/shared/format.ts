// Algerian formats: amounts in DA from integer centimes, Latin digits, dates in Africa/Algiers.
// Always a `-DZ` locale: plain `ar` picks other separators and `ar-EG` Arabic-Indic digits.
import type { Lang } from "./i18n/langs";

const LOCALE: Record<Lang, string> = { ar: "ar-DZ", fr: "fr-DZ", en: "en-DZ" };
export const TIME_ZONE = "Africa/Algiers";

const moneyFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function locale(lang: Lang): string {
  return LOCALE[lang];
}

/** 1234550 centimes → "‏12.345,50 د.ج.‏" (ar), "12 345,50 DA" (fr); `signed`, with its sign
 * either way (a statement's "+3.845,76" owed more, "-2.000,00" paid). */
export function money(centimes: number, lang: Lang, signed = false): string {
  const key = `${lang}${signed ? "±" : ""}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[lang], {
      style: "currency",
      currency: "DZD",
      numberingSystem: "latn",
      minimumFractionDigits: 2,
      signDisplay: signed ? "exceptZero" : "auto",
    });
    moneyFormats.set(key, format);
  }
  return format.format(centimes / 100);
}

/** Made ahead, in a task of its own: the page's first number format costs a mid-range phone some
 * 60 ms (ICU's number data), which would otherwise lengthen the render of the first prices. */
export function prepareMoney(lang: Lang): void {
  money(0, lang);
}

type DateStyle = "day" | "dayTime" | "time" | "weekday" | "weekdayShort";

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: "medium" },
  dayTime: { dateStyle: "medium", timeStyle: "short" },
  time: { timeStyle: "short" },
  weekday: { weekday: "long", day: "numeric", month: "long" },
  weekdayShort: { weekday: "long", day: "numeric" },
};

/** An ISO timestamp (or date) shown in Algiers' time zone. */
export function date(iso: string, lang: Lang, style: DateStyle = "day"): string {
  const key = `${lang}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE[lang], {
      ...DATE_OPTIONS[style],
      numberingSystem: "latn",
      timeZone: TIME_ZONE,
      hourCycle: "h23",
    });
    dateFormats.set(key, format);
  }
  // a bare date (2026-12-04) is a calendar day, not midnight UTC
  const value = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return format.format(value);
}

/** A label that stands alone, such as a day on a chip: its first letter a capital where the
 * language has them ("mercredi 9" → "Mercredi 9"; Arabic is unchanged). */
export function capitalized(text: string, lang: Lang): string {
  return text.charAt(0).toLocaleUpperCase(LOCALE[lang]) + text.slice(1);
}

let algiersDay: Intl.DateTimeFormat | undefined; // made once, when first asked (not at start)

/** Today's calendar date in Algiers (or `now`'s), as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  algiersDay ??= new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE });
  return algiersDay.format(now);
}

/** The calendar day `n` days after `iso` (YYYY-MM-DD), as YYYY-MM-DD. */
export function daysAfter(iso: string, n: number): string {
  const day = new Date(`${iso}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + n);
  return day.toISOString().slice(0, 10);
}

/** The first day of the week in Algeria is Saturday (0 = Sunday … 6 = Saturday). */
export const FIRST_DAY_OF_WEEK = 6;

/** What a user typed as an amount in DA ("1 250,50", "1250.5", "‏1.250,50 د.ج.‏") → centimes, or null. */
export function parseAmount(text: string): number | null {
  const cleaned = typedText(text).replace(/د\.ج\.?|DA|DZD/gi, "");
  if (!cleaned) return null;
  // the last separator followed by 1-2 digits is the decimal one; any other is grouping
  const match = /^(\d{1,3}(?:[.,]?\d{3})*|\d+)(?:[.,](\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = Number((match[1] ?? "").replace(/[.,]/g, ""));
  const fraction = match[2] ? Number(match[2].padEnd(2, "0")) : 0;
  return whole * 100 + fraction;
}

/** A typed count ("24", "٢٤" from an Arabic keypad, " 24 ") as a whole number, or null. */
export function parseCount(text: string): number | null {
  const cleaned = typedText(text);
  return /^\d{1,7}$/.test(cleaned) ? Number(cleaned) : null;
}

/** What was typed, as the parsers read it: Arabic-Indic (٠–٩) and Persian (۰–۹) digits as Latin
 * ones (an Arabic keypad types them), without spaces or the bidi marks a pasted amount carries. */
function typedText(text: string): string {
  return text
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(/[\u200e\u200f\u00a0\u202f\s]/g, "");
}

/** A stored phone (E.164) as Algerians write it: "+213661234567" → "0661 23 45 67", a landline
 * "+21321234567" → "021 23 45 67"; a foreign number stays as stored. Show it left-to-right
 * (`<bdi dir="ltr">`); dial the stored form. */
export function phoneNumber(e164: string): string {
  const national = /^\+213(\d{8,9})$/.exec(e164)?.[1];
  if (!national) return e164;
  const digits = `0${national}`;
  const head = digits.length === 10 ? 4 : 3;
  return [digits.slice(0, head), ...(digits.slice(head).match(/\d{2}/g) ?? [])].join(" ");
}

/** Text that must read left to right wherever it stands, such as a phone inside an Arabic sentence
 * (the bidi algorithm would move its "+" or reverse its groups): a left-to-right isolate, what
 * `<bdi dir="ltr">` does in markup. */
export function ltr(text: string): string {
  return `\u2066${text}\u2069`;
}

/** Someone's own words inside a sentence, in whatever script they typed: a first-strong isolate
 * (what `<bdi>` does in markup), so French words keep their order inside Arabic and the reverse. */
export function isolated(text: string): string {
  return `\u2068${text}\u2069`;
}
