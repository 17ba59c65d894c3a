import { describe, expect, it } from 'vitest';
import { cellLength, fitText, normalizeText, wrapWords } from './fit';

const cols = (perScale: Record<number, number>) => (s: number) => perScale[s] ?? 0;
// 80 mm at 203 dpi: 48 columns at scale 1, 24 at 2, 16 at 3, 12 at 4.
const paper80 = cols({ 1: 48, 2: 24, 3: 16, 4: 12 });

describe('wrapWords', () => {
  it.each([
    ['Ana Silva', 12, ['Ana Silva'], false],
    ['Maria da Graça Sousa', 12, ['Maria da', 'Graça Sousa'], false],
    ['  spaced   out\tname ', 20, ['spaced out name'], false],
    ['Supercalifragilistic', 8, ['Supercal', 'ifragili', 'stic'], true],
    ['', 10, [], false],
  ])('%j at %i columns', (text, n, lines, broke) => {
    const w = wrapWords(text, n);
    expect(w.lines).toEqual(lines);
    expect(w.brokeWord).toBe(broke);
  });

  it('counts accented letters as one cell, composed or not', () => {
    expect(normalizeText('Zoe\u0308')).toBe('Zoë');
    expect(cellLength(normalizeText('Zoe\u0308 Łukasz'))).toBe(10);
    expect(wrapWords('Zoe\u0308 Łukasz', 10).lines).toEqual(['Zoë Łukasz']);
  });
});

describe('fitText', () => {
  it('takes the largest scale that wraps into maxLines without cutting a word', () => {
    expect(fitText('Ana Silva', { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 })).toMatchObject({ scale: 4, lines: ['Ana Silva'], truncated: false });
    expect(fitText('José Ñúñez', { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 })).toMatchObject({ scale: 4, lines: ['José Ñúñez'] });
    // 25 characters: two lines at 4× (12 cols) would cut "Papadopoulos"? no: "Dimitris" / "Papadopoulos" fit 12.
    expect(fitText('Dimitris Papadopoulos', { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 })).toMatchObject({ scale: 4, lines: ['Dimitris', 'Papadopoulos'] });
    // A 13-letter word cannot be on a 12-column line: the next scale down.
    expect(fitText('Bartholomew Featherstonehaugh', { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 })).toMatchObject({ scale: 2, lines: ['Bartholomew', 'Featherstonehaugh'] });
  });

  it('never lets a word be split when any scale fits it', () => {
    const names = ['Maximilian Alexander von Hohenzollern-Sigmaringen', 'Ngozi Okonjo-Iweala', 'Jean-Baptiste Poquelin de Molière', 'Zoë Łukasz'];
    for (const name of names) {
      const f = fitText(name, { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 });
      const words = new Set(normalizeText(name).split(' '));
      for (const line of f.lines) for (const w of line.split(' ')) expect(words.has(w), `${name}: "${w}"`).toBe(true);
      for (const line of f.lines) expect(cellLength(line)).toBeLessThanOrEqual(paper80(f.scale));
    }
  });

  it('shortens with "..." only when nothing fits, and says so', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Name${i}`).join(' ');
    const f = fitText(long, { scales: [4, 3, 2, 1], maxLines: 2, colsAt: paper80 });
    expect(f.scale).toBe(1);
    expect(f.truncated).toBe(true);
    expect(f.lines).toHaveLength(2);
    expect(f.lines[1]!.endsWith('...')).toBe(true);
    for (const line of f.lines) expect(cellLength(line)).toBeLessThanOrEqual(48);
  });

  it('cuts a single word longer than the widest line, as a last resort', () => {
    const f = fitText('x'.repeat(60), { scales: [2, 1], maxLines: 2, colsAt: paper80 });
    expect(f).toMatchObject({ scale: 1, truncated: true, brokeWord: true });
    expect(f.lines.map(cellLength)).toEqual([48, 12]);
  });

  it('handles empty text and rejects no scales', () => {
    expect(fitText('   ', { scales: [2, 1], maxLines: 1, colsAt: paper80 }).lines).toEqual([]);
    expect(() => fitText('a', { scales: [], maxLines: 1, colsAt: paper80 })).toThrow();
  });
});
