// The wilayas by their code, as shops know them (the code starts their RC number and their car
// plates): Arabic and French names of wilayas 1 to 58. The API accepts codes up to 69 (the
// wilayas created since); a code this table does not name is shown as its number alone.
import { parseCount } from "./format";
import type { Lang } from "./i18n/langs";

const NAMES: [ar: string, fr: string][] = [
  ["أدرار", "Adrar"],
  ["الشلف", "Chlef"],
  ["الأغواط", "Laghouat"],
  ["أم البواقي", "Oum El Bouaghi"],
  ["باتنة", "Batna"],
  ["بجاية", "Béjaïa"],
  ["بسكرة", "Biskra"],
  ["بشار", "Béchar"],
  ["البليدة", "Blida"],
  ["البويرة", "Bouira"],
  ["تمنراست", "Tamanrasset"],
  ["تبسة", "Tébessa"],
  ["تلمسان", "Tlemcen"],
  ["تيارت", "Tiaret"],
  ["تيزي وزو", "Tizi Ouzou"],
  ["الجزائر", "Alger"],
  ["الجلفة", "Djelfa"],
  ["جيجل", "Jijel"],
  ["سطيف", "Sétif"],
  ["سعيدة", "Saïda"],
  ["سكيكدة", "Skikda"],
  ["سيدي بلعباس", "Sidi Bel Abbès"],
  ["عنابة", "Annaba"],
  ["قالمة", "Guelma"],
  ["قسنطينة", "Constantine"],
  ["المدية", "Médéa"],
  ["مستغانم", "Mostaganem"],
  ["المسيلة", "M'Sila"],
  ["معسكر", "Mascara"],
  ["ورقلة", "Ouargla"],
  ["وهران", "Oran"],
  ["البيض", "El Bayadh"],
  ["إليزي", "Illizi"],
  ["برج بوعريريج", "Bordj Bou Arréridj"],
  ["بومرداس", "Boumerdès"],
  ["الطارف", "El Tarf"],
  ["تندوف", "Tindouf"],
  ["تيسمسيلت", "Tissemsilt"],
  ["الوادي", "El Oued"],
  ["خنشلة", "Khenchela"],
  ["سوق أهراس", "Souk Ahras"],
  ["تيبازة", "Tipaza"],
  ["ميلة", "Mila"],
  ["عين الدفلى", "Aïn Defla"],
  ["النعامة", "Naâma"],
  ["عين تموشنت", "Aïn Témouchent"],
  ["غرداية", "Ghardaïa"],
  ["غليزان", "Relizane"],
  ["تيميمون", "Timimoun"],
  ["برج باجي مختار", "Bordj Badji Mokhtar"],
  ["أولاد جلال", "Ouled Djellal"],
  ["بني عباس", "Béni Abbès"],
  ["عين صالح", "In Salah"],
  ["عين قزام", "In Guezzam"],
  ["تقرت", "Touggourt"],
  ["جانت", "Djanet"],
  ["المغير", "El M'Ghair"],
  ["المنيعة", "El Meniaa"],
];

/** The highest wilaya code the API accepts. */
export const LAST_WILAYA = 69;

/** A wilaya's name in the reader's language (French names for English), or null when unnamed here. */
export function wilayaName(code: number, lang: Lang): string | null {
  const names = NAMES[code - 1];
  if (!Number.isInteger(code) || !names) return null;
  return lang === "ar" ? names[0] : names[1];
}

/** The wilaya an RC number was registered in: its first number ("16/00-0912345 B 19" → 16), if
 * it is a wilaya code. */
export function wilayaOfRc(rc: string): number | null {
  const head = /^\s*([0-9\u0660-\u0669\u06f0-\u06f9]{1,2})\s*\//.exec(rc)?.[1];
  const code = head ? parseCount(head) : null;
  return code !== null && code >= 1 && code <= LAST_WILAYA ? code : null;
}
