/**
 * Folding text for search: lower case, no accents, and the letters Unicode does not decompose (ł, ø, æ, ß, đ...)
 * spelled the way people type them on a desk keyboard. Index and query go through the same function.
 */
const special: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
  ſ: 's',
};
const specialRe = new RegExp(`[${Object.keys(special).join('')}]`, 'g');

export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(specialRe, (c) => special[c] ?? c);
}

/** Words of a query, folded; punctuation separates words ("LDC-7K4" → ["ldc", "7k4"]). */
export function queryTokens(q: string, max = 8): string[] {
  return (foldText(q).match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, max);
}

const words = (s: string): string[] => foldText(s).match(/[\p{L}\p{N}]+/gu) ?? [];

/** Letters that German and Nordic writers spell out when a keyboard lacks them (Müller → Mueller, Åse → Aase). */
const spelledOut: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', å: 'aa', ø: 'oe', æ: 'ae', ß: 'ss' };
const spelledOutRe = /[äöüåøæß]/g;
/** The other way round: a name written "Mueller" in the source is found by someone typing "Müller" (folded "muller"). */
const collapse = (t: string): string => t.replace(/([aou])e/g, '$1').replace(/aa/g, 'a');

/**
 * The words a name is found by: each word folded ("José" → jose), a word joined across apostrophes and hyphens
 * ("O'Connor" → o, connor and oconnor; "Jean-Luc" → jean, luc, jeanluc), and the German/Nordic spellings both ways
 * (Müller → muller, mueller; Mueller → mueller, muller). Index side only: a query is folded into plain words.
 */
export function nameTerms(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split(/\s+/).filter(Boolean)) {
    const parts = words(raw);
    for (const p of parts) out.add(p);
    if (parts.length > 1) out.add(parts.join(''));
    const spelled = words(raw.toLowerCase().replace(spelledOutRe, (c) => spelledOut[c] ?? c)).join('');
    if (spelled) out.add(spelled);
  }
  for (const t of [...out]) {
    const c = collapse(t);
    if (c !== t && c.length > 1) out.add(c);
  }
  return [...out];
}

/** A confirmation code as people type it: its words, and all of it run together ("LDC-5SCQ9W" → ldc, 5scq9w, ldc5scq9w). */
export function codeTerms(code: string): string[] {
  const parts = words(code);
  return parts.length > 1 ? [...parts, parts.join('')] : parts;
}

/** The code's key for lookups: capitals and digits only ("ldc-5scq9w" → LDC5SCQ9W), and its last group ("5SCQ9W"). */
export function codeKeys(code: string): { key: string; short: string } {
  const parts = words(code).map((p) => p.toUpperCase());
  return { key: parts.join(''), short: parts.at(-1) ?? '' };
}

/** The near-spelling index's keys of a word: itself, and (for words of 4 letters and more) each one-letter deletion. */
export function deletionKeys(term: string): string[] {
  const keys = new Set([term]);
  if ([...term].length >= 4) {
    const chars = [...term];
    for (let i = 0; i < chars.length; i++) keys.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''));
  }
  return [...keys];
}
