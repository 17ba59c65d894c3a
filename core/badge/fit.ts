/**
 * Text fitting for badges, measured with the font that will draw the text (passed in: core draws nothing). The app
 * wraps every line itself, at word boundaries, so no printer ever breaks a name mid-word. Scripts written without
 * spaces (Chinese, Japanese, Thai, ...) break where a dictionary segmenter allows; a word is cut only as a last
 * resort, and then between whole graphemes, so an accent or a vowel sign never parts from its letter.
 */
import { splitGraphemes, splitWord } from './scripts';

/** Collapses whitespace and composes accents (e + ◌̈ → ë). */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export interface FitOptions {
  /** Candidate sizes (any unit the width function understands), tried from the largest. */
  sizes: readonly number[];
  maxLines: number;
  maxWidth: number;
  /** Width of `text` set at `size`. */
  width(text: string, size: number): number;
  /** BCP 47 tag for break opportunities in scripts without spaces. */
  lang?: string;
}

export interface Fitted {
  size: number;
  lines: string[];
  /** Nothing fitted even at the smallest size: a word was cut or the text was shortened with "…". */
  truncated: boolean;
  brokeWord: boolean;
}

const NO_SPACES =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
export const ELLIPSIS = '…';

interface Unit {
  text: string;
  /** A space separates it from the unit before (false inside a word of a script written without spaces). */
  spaced: boolean;
}

function units(text: string, lang: string): Unit[] {
  const out: Unit[] = [];
  for (const word of text.split(' ')) {
    if (!word) continue;
    const pieces = NO_SPACES.test(word) ? splitWord(word, lang) : [word];
    pieces.forEach((p, i) => out.push({ text: p, spaced: i === 0 }));
  }
  return out;
}

/** Greedy wrap at `size`; a unit wider than a line is cut between graphemes (and `brokeWord` says so). */
function wrap(us: Unit[], size: number, opts: FitOptions): { lines: string[]; brokeWord: boolean } {
  const fits = (s: string) => opts.width(s, size) <= opts.maxWidth;
  const lines: string[] = [];
  let line = '';
  let brokeWord = false;
  for (const u of us) {
    const candidate = line ? line + (u.spaced ? ' ' : '') + u.text : u.text;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = u.text;
    if (!fits(line)) {
      brokeWord = true;
      let piece = '';
      for (const g of splitGraphemes(line)) {
        if (piece && !fits(piece + g)) {
          lines.push(piece);
          piece = g;
        } else piece += g;
      }
      line = piece;
    }
  }
  if (line) lines.push(line);
  return { lines, brokeWord };
}

/** The longest start of `text` that fits with "…" after it (whole graphemes, trailing spaces dropped). */
export function ellipsize(text: string, fits: (s: string) => boolean): string {
  if (fits(text)) return text;
  const g = splitGraphemes(text);
  let lo = 0;
  let hi = g.length;
  // Binary search for the most graphemes that still fit: a session title costs a handful of measurements.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(g.slice(0, mid).join('').trimEnd() + ELLIPSIS)) lo = mid;
    else hi = mid - 1;
  }
  return g.slice(0, lo).join('').trimEnd() + ELLIPSIS;
}

/**
 * The largest size at which the text wraps into at most `maxLines` lines without cutting a word. If none does, the
 * smallest size is used, over-long words are cut, and the last line ends in "…" when lines had to be dropped.
 */
export function fitText(text: string, opts: FitOptions): Fitted {
  const sizes = [...new Set(opts.sizes)].filter((s) => s > 0).sort((a, b) => b - a);
  if (sizes.length === 0) throw new Error('fitText needs at least one size');
  const maxLines = Math.max(1, Math.floor(opts.maxLines));
  const clean = normalizeText(text);
  if (clean === '') return { size: sizes[0]!, lines: [], truncated: false, brokeWord: false };
  const us = units(clean, opts.lang ?? 'und');
  for (const size of sizes) {
    const w = wrap(us, size, opts);
    if (!w.brokeWord && w.lines.length <= maxLines) return { size, lines: w.lines, truncated: false, brokeWord: false };
  }
  const size = sizes[sizes.length - 1]!;
  const w = wrap(us, size, opts);
  if (w.lines.length <= maxLines) return { size, lines: w.lines, truncated: w.brokeWord, brokeWord: w.brokeWord };
  const kept = w.lines.slice(0, maxLines);
  const rest = w.lines.slice(maxLines - 1).join(' ');
  kept[maxLines - 1] = ellipsize(rest, (s) => opts.width(s, size) <= opts.maxWidth);
  return { size, lines: kept, truncated: true, brokeWord: w.brokeWord };
}
