import { describe, expect, it } from 'vitest';
import { createBitmap } from '../../core/badge/bitmap';
import type { BadgeContent } from '../../core/badge/layout';
import { mediaProfiles } from '../../core/badge/printer';
import { fallbackTemplate } from '../../core/badge/template';
import { composeBadge } from './badges';
import { codePages, segmentText } from './codepages';
import { newEncoder, printBitmap, printLine, setScale } from './escpos';
import { loadBadgeFonts } from './fonts';
import { loadBadgeAssets } from './templates';

// Dates are only formatted and compared with `now`, which the content carries.
const content: BadgeContent = {
  conference: { name: 'Conf', timezone: 'UTC', startsOn: '2026-12-01', endsOn: '2026-12-02', hasLogo: false },
  person: { firstName: 'Zoë', lastName: 'Łukasz', company: 'José Ñúñez & Søren Ødegård' },
  ticket: { name: 'Full pass' },
  sessions: [],
  qrCode: 'LY1|conf-1|r2|1|0123456789ab|' + 'A'.repeat(86),
  now: '2026-12-01T08:00:00Z',
};
const env = { assets: loadBadgeAssets(), fonts: loadBadgeFonts() };

/** Positions of ESC t n in a buffer. */
const codePageSelects = (b: Buffer) =>
  [...b.entries()].filter(([i, v]) => v === 0x1b && b[i + 1] === 0x74).map(([i]) => b[i + 2]);

describe('code pages', () => {
  it('segments text into runs of one page each, preferring the current page', () => {
    expect(segmentText('Ana Silva').runs).toEqual([{ page: null, text: 'Ana Silva' }]);
    const zoe = segmentText('Zoë Łukasz').runs;
    expect(zoe.map((r) => [r.page?.name, r.text])).toEqual([['WPC1250_LATIN2', 'Zoë Łukasz']]);
    expect(segmentText('José Łukasz').runs.map((r) => r.page?.name)).toEqual(['WPC1250_LATIN2']);
    // No single page has both Ñ and Ł: two runs.
    const mixed = segmentText('Ñúñez Łukasz').runs;
    expect(mixed.map((r) => [r.page?.name, r.text])).toEqual([
      ['WPC1252', 'Ñúñez '],
      ['WPC1250_LATIN2', 'Łukasz'],
    ]);
    // The current page is kept when it holds the line.
    expect(segmentText('Zoë', codePages[0]).runs[0]!.page?.name).toBe('WPC1252');
    expect(segmentText('Иван Петров').runs[0]!.page?.name).toBe('WPC1251_CYRILLIC');
  });

  it('replaces what no page holds, and counts it', () => {
    const r = segmentText('李 Ŵ 😀');
    expect(r.runs.map((x) => x.text).join('')).toBe('? W ?');
    expect(r.replaced).toBe(3);
  });

  it('every table agrees with the encoder (iconv inside node-thermal-printer)', () => {
    for (const page of codePages) {
      const p = newEncoder(48);
      const sample = 'ëŁÑúøŠžİğЖΩ€'
        .split('')
        .filter((c) => segmentText(c, page).runs[0]?.page === page)
        .join('');
      if (!sample) continue;
      p.setCharacterSet(page.name as never);
      p.print(sample);
      const bytes = p.getBuffer().subarray(3);
      expect(new TextDecoder(page.label).decode(bytes), page.name).toBe(sample);
    }
  });
});

describe('ESC/POS rendering', () => {
  it('GS ! takes the width nibble first (the library names its first parameter "height")', () => {
    const p = newEncoder(48);
    setScale(p, 3, 2);
    expect([...p.getBuffer()]).toEqual([0x1d, 0x21, 0x21]);
  });

  it("Lanyard's raster strips are byte-identical to node-thermal-printer's printImageBuffer", async () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (const [w, h] of [
      [216, 212],
      [576, 2],
      [8, 1],
      [13, 300],
    ] as const) {
      const bmp = createBitmap(w, h);
      for (let i = 0; i < bmp.data.length; i++) bmp.data[i] = rand() < 0.5 ? 1 : 0;
      const ours = newEncoder(48);
      const lib = newEncoder(48);
      await printBitmap(ours, bmp, 128, false);
      await printBitmap(lib, bmp, 128, true);
      expect(ours.getBuffer().equals(lib.getBuffer()), `${w}x${h}`).toBe(true);
    }
  });

  it('prints a line exactly as given: no folding by the library, code page selected first', () => {
    const p = newEncoder(12);
    const state = { page: null };
    printLine(p, 'Bartholomew Featherstonehaugh Łukasz', state);
    const b = p.getBuffer();
    expect(b.filter((x) => x === 0x0a)).toHaveLength(1);
    expect(codePageSelects(b)).toEqual([45]);
  });

  for (const media of Object.values(mediaProfiles).filter((m) => m.language === 'escpos')) {
    it(`${media.id}: a badge is one raster: ESC @, GS v 0 strips of at most 256 rows at the paper's width, feed to the cutter and cut`, async () => {
      const badge = composeBadge(
        content,
        null,
        fallbackTemplate,
        { language: 'escpos', media, mode: 'raster', qr: 'raster' },
        env,
      );
      const bytes = await badge.bytes();
      expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
      expect([...bytes.subarray(-4)]).toEqual([0x1d, 0x56, 0x41, 0x00]);
      // No text commands: no code page, no size, no line feed; every byte is in a strip.
      expect(codePageSelects(bytes)).toEqual([]);
      let at = 2;
      let rows = 0;
      while (at < bytes.length - 4) {
        expect([...bytes.subarray(at, at + 4)]).toEqual([0x1d, 0x76, 0x30, 48]);
        const wBytes = bytes[at + 4]! + 256 * bytes[at + 5]!;
        const h = bytes[at + 6]! + 256 * bytes[at + 7]!;
        expect(wBytes).toBe(Math.ceil(media.widthDots / 8));
        expect(h).toBeLessThanOrEqual(256);
        rows += h;
        at += 8 + wBytes * h;
      }
      expect(at).toBe(bytes.length - 4);
      expect(rows).toBe(badge.layout.height);
      expect(badge.raster()).toMatchObject({ width: Math.ceil(media.widthDots / 8) * 8, height: rows });
    });

    it(`${media.id}: text mode uses the printer's font, only Lanyard's code pages, and ends with a cut`, async () => {
      const badge = composeBadge(
        content,
        null,
        fallbackTemplate,
        { language: 'escpos', media, mode: 'text', qr: 'raster' },
        env,
      );
      const bytes = await badge.bytes();
      expect([...bytes.subarray(0, 2)]).toEqual([0x1b, 0x40]);
      const allowed = new Set(codePages.map((c) => c.escT));
      expect(codePageSelects(bytes).length).toBeGreaterThan(0);
      for (const n of codePageSelects(bytes)) expect(allowed.has(n!)).toBe(true);
      expect(bytes.includes(Buffer.from([0x1d, 0x56, 0x41, 0x00]))).toBe(true);
      expect(badge.warnings).toEqual([]);
    });
  }

  it('text mode warns that what no code page holds needs raster mode', async () => {
    const badge = composeBadge(
      { ...content, person: { ...content.person, firstName: '지우', lastName: '김' } },
      null,
      fallbackTemplate,
      { language: 'escpos', media: mediaProfiles['escpos-80-203']!, mode: 'text', qr: 'raster' },
      env,
    );
    expect(badge.warnings).toContainEqual(
      expect.objectContaining({ code: 'missing_glyphs', script: 'Hangul', fontPack: 'raster' }),
    );
  });

  it('the native QR option (text mode) stores exactly the payload bytes (GS ( k with the right length)', async () => {
    const badge = composeBadge(
      content,
      null,
      fallbackTemplate,
      { language: 'escpos', media: mediaProfiles['escpos-80-203']!, mode: 'text', qr: 'native' },
      env,
    );
    const bytes = await badge.bytes();
    const data = Buffer.from(content.qrCode!, 'ascii');
    const store = bytes.indexOf(
      Buffer.concat([
        Buffer.from([0x1d, 0x28, 0x6b]),
        Buffer.from([(data.length + 3) & 0xff, (data.length + 3) >> 8, 0x31, 0x50, 0x30]),
        data,
      ]),
    );
    expect(store).toBeGreaterThan(0);
    expect(bytes.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(false);
  });
});
