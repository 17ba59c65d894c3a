/**
 * What a badge needs to know about the writing system of a piece of text: which way it runs, which language tag
 * picks the right CJK glyph forms, where a line may break, and how people of that script order their names.
 * Unicode property escapes and Intl.Segmenter do the work; nothing here draws.
 */

export type Direction = 'ltr' | 'rtl';

const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const LETTER = /\p{L}/u;

/** The base direction of a line: its first strong letter decides (the Unicode bidi rule P2), left-to-right if none. */
export function directionOf(text: string): Direction {
  for (const ch of text) {
    if (RTL.test(ch)) return 'rtl';
    if (LETTER.test(ch)) return 'ltr';
  }
  return 'ltr';
}

const HANGUL = /\p{Script=Hangul}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN = /\p{Script=Han}/u;

/**
 * A BCP 47 tag for the text, so that a pan-CJK font draws 杨 in Chinese, 山田 in Japanese and 김 in Korean forms.
 * Han alone reads as simplified Chinese unless the country says Taiwan, Hong Kong or Macau.
 */
export function langOf(text: string, country?: string | null): string {
  if (HANGUL.test(text)) return 'ko';
  if (KANA.test(text)) return 'ja';
  if (HAN.test(text)) {
    const c = (country ?? '').toUpperCase();
    return c === 'TW' ? 'zh-TW' : c === 'HK' || c === 'MO' ? 'zh-HK' : c === 'JP' ? 'ja' : 'zh-CN';
  }
  return 'und';
}

const CJK_LETTER = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** True when every letter of the text is Chinese, Japanese or Korean (and there is at least one). */
export function isCjk(text: string): boolean {
  let any = false;
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    if (!CJK_LETTER.test(ch)) return false;
    any = true;
  }
  return any;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const words = new Map<string, Intl.Segmenter>();

/** User-perceived characters: "ọ́" (o + dot below + acute) and "क्षि" stay whole, so no cut ever splits a mark off. */
export function splitGraphemes(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/**
 * Pieces of a word that has no spaces inside (a Thai or Chinese company name), at the places a dictionary-based
 * segmenter allows a line break. One piece when it finds none.
 */
export function splitWord(word: string, lang: string): string[] {
  let seg = words.get(lang);
  if (!seg) words.set(lang, (seg = new Intl.Segmenter(lang === 'und' ? 'th' : lang, { granularity: 'word' })));
  const parts = Array.from(seg.segment(word), (s) => s.segment);
  return parts.length > 0 ? parts : [word];
}

/** The Unicode script of a character, for staff-facing warnings ("Han", "Tamil"); "Unknown" when none applies. */
export function scriptOf(ch: string): string {
  for (const [name, re] of SCRIPT_TESTS) if (re.test(ch)) return name;
  return 'Unknown';
}

// The scripts a badge is likely to meet, in the order a character is checked. Others are named "Unknown".
const SCRIPT_TESTS: [string, RegExp][] = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Arabic',
  'Hebrew',
  'Han',
  'Hangul',
  'Hiragana',
  'Katakana',
  'Thai',
  'Devanagari',
  'Bengali',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Gujarati',
  'Gurmukhi',
  'Oriya',
  'Sinhala',
  'Khmer',
  'Lao',
  'Myanmar',
  'Tibetan',
  'Georgian',
  'Armenian',
  'Ethiopic',
  'Syriac',
  'Thaana',
  'Mongolian',
  'Cherokee',
  'Canadian_Aboriginal',
  'Tifinagh',
  'Nko',
  'Adlam',
  'Vai',
  'Javanese',
  'Balinese',
  'Yi',
  'Bopomofo',
].map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')]);
