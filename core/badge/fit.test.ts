import { describe, expect, it } from 'vitest';
import { ellipsize, fitText, normalizeText } from './fit';
import { splitGraphemes } from './scripts';

// A monospaced stand-in for a font: every grapheme is 0.5 em wide, so widths are easy to reason about.
const width = (s: string, size: number) => splitGraphemes(s).length * size * 0.5;
// 80 mm paper at 203 dpi is 576 dots: 12 characters at 96 dots, 16 at 72, 24 at 48, 48 at 24.
const opts = { sizes: [96, 72, 48, 24], maxLines: 2, maxWidth: 576, width };

describe('fitText', () => {
  it('takes the largest size that wraps into maxLines without cutting a word', () => {
    expect(fitText('Ana Silva', opts)).toMatchObject({ size: 96, lines: ['Ana Silva'], truncated: false });
    expect(fitText('Dimitris Papadopoulos', opts)).toMatchObject({ size: 96, lines: ['Dimitris', 'Papadopoulos'] });
    // A 13-letter word cannot be on a 12-character line: the next size down.
    expect(fitText('Bartholomew Featherstonehaugh', opts)).toMatchObject({
      size: 48,
      lines: ['Bartholomew', 'Featherstonehaugh'],
    });
  });

  it('never splits a word when any size fits it', () => {
    for (const name of [
      'Maximilian Alexander von Hohenzollern-Sigmaringen',
      'Ngozi Okonjo-Iweala',
      'Jean-Baptiste Poquelin de Molière',
    ]) {
      const f = fitText(name, opts);
      const words = new Set(normalizeText(name).split(' '));
      for (const line of f.lines) for (const w of line.split(' ')) expect(words.has(w), `${name}: "${w}"`).toBe(true);
      for (const line of f.lines) expect(width(line, f.size)).toBeLessThanOrEqual(576);
    }
  });

  it('keeps an accent with its letter, composed or not, and never cuts inside a grapheme', () => {
    expect(fitText('Zoe\u0308 Łukasz', opts).lines).toEqual(['Zoë Łukasz']);
    // Yoruba: o + dot below + acute is one grapheme even though it has no precomposed form.
    const f = fitText('Oluwadamilọ́lá'.repeat(3), { ...opts, sizes: [96], maxLines: 4 });
    expect(f.brokeWord).toBe(true);
    for (const line of f.lines)
      expect(line.normalize('NFD').startsWith('\u0323') || line.normalize('NFD').startsWith('\u0301')).toBe(false);
    expect(f.lines.join('')).toBe('Oluwadamilọ́lá'.repeat(3).normalize('NFC'));
  });

  it('breaks scripts written without spaces where a dictionary segmenter allows, without calling it a cut word', () => {
    const thai = 'บริษัทพัฒนาซอฟต์แวร์แห่งประเทศไทย';
    const f = fitText(thai, { sizes: [48], maxLines: 3, maxWidth: 48 * 0.5 * 14, width });
    expect(f.brokeWord).toBe(false);
    expect(f.lines.length).toBeGreaterThan(1);
    expect(f.lines.join('')).toBe(thai);
  });

  it('shortens with "…" only when nothing fits, and says so', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Name${i}`).join(' ');
    const f = fitText(long, opts);
    expect(f).toMatchObject({ size: 24, truncated: true });
    expect(f.lines).toHaveLength(2);
    expect(f.lines[1]!.endsWith('…')).toBe(true);
    for (const line of f.lines) expect(width(line, 24)).toBeLessThanOrEqual(576);
  });

  it('handles empty text and rejects no sizes', () => {
    expect(fitText('   ', opts).lines).toEqual([]);
    expect(() => fitText('a', { ...opts, sizes: [] })).toThrow();
  });
});

describe('ellipsize', () => {
  it('keeps the longest start that fits with "…"', () => {
    const fits = (s: string) => splitGraphemes(s).length <= 10;
    expect(ellipsize('Short', fits)).toBe('Short');
    expect(ellipsize('Everything You Never Wanted', fits)).toBe('Everythin…');
    expect(ellipsize('Anatomy of a Sync Engine', fits)).toBe('Anatomy o…');
  });
});
