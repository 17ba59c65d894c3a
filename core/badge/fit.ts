/**
 * Text fitting for badges: the app wraps every line itself, at word boundaries, so no printer ever breaks a name
 * mid-word (node-thermal-printer folds at a fixed character count whatever the text size; ZPL ^FB wraps its own way).
 * Lengths are counted in code points of NFC text: one code point is one printer cell.
 */

/** Collapses whitespace and composes accents (e + ◌̈ → ë), so that one character is one cell. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export const cellLength = (s: string): number => Array.from(s).length;

export interface Wrapped {
  lines: string[];
  /** A single word was longer than a line and had to be cut (by the app, at the line end). */
  brokeWord: boolean;
}

/** Greedy word wrap to `cols` cells per line. Words longer than a line are cut into line-sized pieces. */
export function wrapWords(text: string, cols: number): Wrapped {
  const width = Math.max(1, Math.floor(cols));
  const words = normalizeText(text).split(' ').filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = '';
  let brokeWord = false;
  for (const word of words) {
    let rest = Array.from(word);
    if (rest.length > width) {
      brokeWord = true;
      if (line) lines.push(line);
      line = '';
      while (rest.length > width) {
        lines.push(rest.slice(0, width).join(''));
        rest = rest.slice(width);
      }
      line = rest.join('');
      continue;
    }
    const candidate = line ? `${line} ${word}` : word;
    if (cellLength(candidate) <= width) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return { lines, brokeWord };
}

export interface FitOptions {
  /** Candidate scales, tried from the largest. */
  scales: readonly number[];
  maxLines: number;
  /** Cells per line at a given scale. */
  colsAt(scale: number): number;
}

export interface Fitted {
  scale: number;
  lines: string[];
  /** The text did not fit even at the smallest scale: a word was cut or lines were dropped (marked with "..."). */
  truncated: boolean;
  brokeWord: boolean;
}

/**
 * The largest scale at which the text wraps into at most `maxLines` lines without cutting a word. If none does,
 * the smallest scale is used, long words are cut, and the last line ends in "..." when lines had to be dropped.
 */
export function fitText(text: string, opts: FitOptions): Fitted {
  const scales = [...new Set(opts.scales)].filter((s) => s >= 1).sort((a, b) => b - a);
  if (scales.length === 0) throw new Error('fitText needs at least one scale >= 1');
  const maxLines = Math.max(1, Math.floor(opts.maxLines));
  const clean = normalizeText(text);
  if (clean === '') return { scale: scales[0]!, lines: [], truncated: false, brokeWord: false };
  for (const scale of scales) {
    const w = wrapWords(clean, opts.colsAt(scale));
    if (!w.brokeWord && w.lines.length <= maxLines) return { scale, lines: w.lines, truncated: false, brokeWord: false };
  }
  const scale = scales[scales.length - 1]!;
  const cols = Math.max(1, Math.floor(opts.colsAt(scale)));
  const w = wrapWords(clean, cols);
  if (w.lines.length <= maxLines) return { scale, lines: w.lines, truncated: w.brokeWord, brokeWord: w.brokeWord };
  const kept = w.lines.slice(0, maxLines);
  const last = Array.from(kept[maxLines - 1]!);
  kept[maxLines - 1] = (last.length + 3 <= cols ? last : last.slice(0, Math.max(0, cols - 3))).join('').trimEnd() + '...';
  return { scale, lines: kept, truncated: true, brokeWord: w.brokeWord };
}
