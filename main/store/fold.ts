/**
 * Folding text for search: lower case, no accents, and the letters Unicode does not decompose (ł, ø, æ, ß, đ...)
 * spelled the way people type them on a desk keyboard. Index and query go through the same function.
 */
const special: Record<string, string> = {
  ł: 'l', ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n', ĸ: 'k', ſ: 's',
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
