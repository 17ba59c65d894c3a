/** The badge fonts: the bundled core pack, the CJK pack from the OS, and what no font here can draw. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBadgeFonts } from './fonts';

const fonts = loadBadgeFonts();
const noOs = loadBadgeFonts({ osFonts: false });

describe('badge fonts', () => {
  it('bundle Latin, Greek, Cyrillic, Arabic, Hebrew, Thai, Devanagari and emoji; CJK comes from the OS', () => {
    const families = new Set(fonts.families().map((f) => f.family));
    for (const f of [
      'Noto Sans',
      'Noto Sans Arabic',
      'Noto Sans Hebrew',
      'Noto Sans Thai',
      'Noto Sans Devanagari',
      'Noto Emoji',
    ])
      expect(families.has(f), f).toBe(true);
    // CI installs Debian's fonts-noto-cjk (.ci/run): without it, this fails here rather than skipping the CJK tests.
    expect(
      fonts
        .families()
        .filter((f) => f.pack === 'cjk')
        .map((f) => f.family),
      'no CJK font: apt-get install fonts-noto-cjk',
    ).not.toEqual([]);
  });

  it('draw every script of the core pack without the OS: accents, Greek, Cyrillic, Arabic, Hebrew, Thai, Devanagari, emoji', () => {
    const names = [
      'Zoë Łukasz',
      'Oluwadamilọ́lá Adébáyọ̀-Ogunlesi',
      'Νίκος Οικονόμου',
      'Иван Петров',
      'عمر صالح',
      'דוד כהן',
      'สมชาย ใจดี',
      'राहुल शर्मा',
      'Zoë 🎉',
      'Şükrü Çelik',
    ];
    for (const n of names) expect(noOs.measure.missing(n), n).toEqual([]);
  });

  it('know which names need the CJK pack, and which need a font this station does not have', () => {
    expect(fonts.measure.missing('김지우 杨洋 山田さくら')).toEqual([]);
    expect(noOs.measure.missing('杨洋 Ana')).toEqual([{ script: 'Han', fontPack: 'cjk', chars: '杨洋' }]);
    expect(noOs.measure.missing('김지우')).toEqual([{ script: 'Hangul', fontPack: 'cjk', chars: '김지우' }]);
    // Tamil and Georgian are in no pack Lanyard knows: named by script, no pack.
    expect(fonts.measure.missing('ஸ்ரீநிவாசன் ნინო').map((m) => [m.script, m.fontPack])).toEqual([
      ['Tamil', null],
      ['Georgian', null],
    ]);
  });

  it('measure with the real font: width grows with the size, bold is wider, CJK is wide', () => {
    const w = (t: string, size: number, bold = true) => fonts.measure.width(t, { size, bold, lang: 'und' });
    expect(w('William', 200)).toBeGreaterThan(w('William', 100) * 1.9);
    expect(w('William', 100)).toBeGreaterThan(w('William', 100, false));
    expect(w('杨洋', 100)).toBeGreaterThan(180);
    expect(w('iiii', 100)).toBeLessThan(w('WWWW', 100) / 2);
  });

  it('use font files from extra folders, and ignore what is not a font', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanyard-fonts-'));
    try {
      writeFileSync(join(dir, 'broken.ttf'), 'not a font');
      const extra = loadBadgeFonts({ dirs: [dir, '/no/such/folder'], osFonts: false });
      expect(extra.families().some((f) => f.file.endsWith('broken.ttf'))).toBe(false);
      expect(extra.measure.missing('Zoë')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
