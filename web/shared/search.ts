// Text folded for matching, the same way for what is stored and what is typed: lower case,
// no accents (French), no tashkeel or tatweel (Arabic), one form of alef, ya and ta marbuta.
const MARKS = /[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g;

export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(MARKS, "")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه")
    .replace(/ؤ/g, "و")
    .replace(/ئ/g, "ي")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Every word typed appears somewhere in the folded text (in any order). */
export function matches(folded: string, query: string): boolean {
  const words = fold(query).split(" ").filter(Boolean);
  return words.every((word) => folded.includes(word));
}

/** Rows in the order of their folded text (it starts with the name): the device lists products
 * by name as the server does, Arabic letters in their alphabet's order. */
export function inNameOrder<T extends { search: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => (a.search < b.search ? -1 : a.search > b.search ? 1 : 0));
}
