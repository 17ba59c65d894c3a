/**
 * Choosing ESC/POS code pages for text. node-thermal-printer switches code pages on its own when a character is
 * missing from the active one, trying every page it knows in a fixed order (some of which clone printers lack). Lanyard
 * decides instead: each run of text goes out in the first page of a short, widely supported list that holds all its
 * characters, and the encoder is told to select that page first, so its own search never runs.
 */

export interface CodePage {
  /** node-thermal-printer's CharacterSet name. */
  name: string;
  /** ESC t n. */
  escT: number;
  /** WHATWG encoding label (TextDecoder), used to build the table. */
  label: string;
}

/** In order of preference. Windows pages are on every Epson-compatible printer that has code pages at all. */
export const codePages: readonly CodePage[] = [
  { name: 'WPC1252', escT: 16, label: 'windows-1252' },
  { name: 'WPC1250_LATIN2', escT: 45, label: 'windows-1250' },
  { name: 'WPC1257_BALTIC_RIM', escT: 51, label: 'windows-1257' },
  { name: 'WPC1254_TURKISH', escT: 48, label: 'windows-1254' },
  { name: 'WPC1251_CYRILLIC', escT: 46, label: 'windows-1251' },
  { name: 'WPC1253_GREEK', escT: 47, label: 'windows-1253' },
];

const tables = new Map<string, Map<string, number>>();
function table(page: CodePage): Map<string, number> {
  let t = tables.get(page.name);
  if (!t) {
    t = new Map();
    const decoder = new TextDecoder(page.label);
    for (let b = 0xa0; b <= 0xff; b++) addByte(t, decoder, b);
    // 0x80-0x9F hold printable characters in Windows pages (€, ‚, Š, ...); skip the holes, which decode to C1 controls.
    for (let b = 0x80; b < 0xa0; b++) addByte(t, decoder, b);
    tables.set(page.name, t);
  }
  return t;
}
function addByte(t: Map<string, number>, decoder: TextDecoder, b: number): void {
  const ch = decoder.decode(Uint8Array.of(b));
  if (ch === '\ufffd' || ch.length !== 1 || ch.charCodeAt(0) < 0xa0) return;
  t.set(ch, b);
}

export const pageHas = (page: CodePage, ch: string): boolean => table(page).has(ch);

export interface TextRun {
  page: CodePage | null;
  text: string;
}

/**
 * Splits a line into runs that each print in one code page (null: plain ASCII, any page). Characters no page holds
 * are replaced by their unaccented letter, or "?"; `replaced` counts them.
 */
export function segmentText(line: string, current: CodePage | null = null): { runs: TextRun[]; replaced: number } {
  const runs: TextRun[] = [];
  let replaced = 0;
  // One page for the whole line when one holds every character a page can hold (fewest switches).
  const chars = Array.from(line.normalize('NFC')).filter((c) => c > '\u007e' && codePages.some((p) => pageHas(p, c)));
  const whole = [current, ...codePages].find((p) => p && chars.every((c) => pageHas(p, c)));
  let active = chars.length > 0 && whole ? whole : current;
  const ascii = (ch: string) => {
    const last = runs[runs.length - 1];
    if (last) last.text += ch;
    else runs.push({ page: null, text: ch });
  };
  for (const raw of Array.from(line.normalize('NFC'))) {
    const ch = raw < ' ' || raw === '\u007f' ? ' ' : raw;
    if (ch <= '\u007e') {
      ascii(ch);
      continue;
    }
    const page = active && pageHas(active, ch) ? active : (codePages.find((p) => pageHas(p, ch)) ?? null);
    if (!page) {
      replaced++;
      const plain = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      ascii(/^[\x20-\x7e]+$/.test(plain) ? plain : '?');
      continue;
    }
    active = page;
    const last = runs[runs.length - 1];
    if (last && (last.page === page || last.page === null)) {
      last.page = page;
      last.text += ch;
    } else runs.push({ page, text: ch });
  }
  return { runs, replaced };
}
