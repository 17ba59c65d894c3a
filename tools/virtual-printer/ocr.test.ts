/**
 * Names read back off the printed dots: a badge per script goes to the virtual printer as ESC/POS bytes (the default
 * raster), the printer's decode gives the picture, and tesseract (Debian's language packs, installed by .ci/run)
 * must read the attendee's name in it; the QR code in the same picture still decodes and verifies.
 */
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Registrant } from '../../core/conference';
import { bitmapToRgba } from '../../main/printing/bitmap-png';
import type { Station } from '../../main/station/create-station';
import { FakeClock, must, openStation, smallConference, tempDir } from '../../tests/support/fixtures';
import { cropRows, ocr, squeeze } from './ocr';
import { VirtualPrinter } from './virtual-printer';

// One name per script that tesseract reads, with the language pack that reads it, and the words expected back.
const NAMES: { id: string; first: string; last: string; langs: string; read: string[] }[] = [
  { id: 'ko', first: '지우', last: '김', langs: 'kor', read: ['김지우'] },
  { id: 'zh', first: '洋', last: '杨', langs: 'chi_sim', read: ['杨洋'] },
  { id: 'ja', first: '太郎', last: '山田', langs: 'jpn', read: ['山田太郎'] },
  { id: 'ar', first: 'عمر', last: 'صالح', langs: 'ara', read: ['عمر', 'صالح'] },
  { id: 'he', first: 'דוד', last: 'כהן', langs: 'heb', read: ['דוד', 'כהן'] },
  { id: 'el', first: 'Δέσποινα', last: 'Παπαδοπούλου', langs: 'ell', read: ['Δέσποινα', 'Παπαδοπούλου'] },
  { id: 'ru', first: 'Иван', last: 'Петров', langs: 'rus', read: ['Иван', 'Петров'] },
  { id: 'th', first: 'สมชาย', last: 'ใจดี', langs: 'tha', read: ['สมชาย', 'ใจดี'] },
  { id: 'hi', first: 'राहुल', last: 'शर्मा', langs: 'hin', read: ['राहुल', 'शर्मा'] },
  // The ticket band too: white letters on black, read off the same dots.
  { id: 'es', first: 'José', last: 'Ñúñez', langs: 'spa', read: ['José', 'Ñúñez', 'FULL', 'PASS'] },
];

let t: ReturnType<typeof tempDir>;
let vp: VirtualPrinter;
let s: Station;
const fast = 'connectMs=1000&statusMs=1000&writeMs=3000';

beforeAll(async () => {
  t = tempDir();
  vp = new VirtualPrinter({ outDir: `${t.dir}/out` });
  await vp.start();
  s = await openStation(t.dir, { clock: new FakeClock(), printing: { healthPollMs: 0 } });
  const conf = smallConference();
  conf.registrants = NAMES.map((n, i): Registrant => ({
    id: `r-${n.id}`,
    confirmationCode: `OCR-${i}`,
    firstName: n.first,
    lastName: n.last,
    email: '',
    company: 'Globex',
    ticketTypeId: 'full',
    sessions: [],
  }));
  must(await s.call('conference.import', { data: conf }));
});
afterAll(async () => {
  await s?.close();
  await vp?.stop();
  t?.cleanup();
});

describe('printed names read back by OCR', () => {
  it.each(NAMES)(
    '$id: $first $last',
    async (n) => {
      const job = must(await s.call('badge.print', { registrantId: `r-${n.id}`, printer: vp.uri(fast) }));
      expect(job).toMatchObject({ status: 'printed', warnings: [] });
      await vp.settled();
      const printed = vp.jobs[vp.jobs.length - 1]!;
      // The badge went as one raster: no text commands at all.
      expect(printed.decoded!.lines).toEqual([]);
      const bmp = printed.decoded!.bitmap;
      const qr = jsQR(bitmapToRgba(bmp), bmp.width, bmp.height);
      expect(must(await s.call('badge.verify', { code: qr!.data }))).toMatchObject({
        valid: true,
        registrantId: `r-${n.id}`,
      });
      // The door sees the name as the badge writes it (CJK family name first, no space).
      if (n.id === 'ko') expect(must(await s.call('badge.verify', { code: qr!.data })).name).toBe('김지우');
      // Everything above the QR code: header, name, company, ticket.
      const text = squeeze(await ocr(cropRows(bmp, 0, qr!.location.topLeftCorner.y - 20), n.langs));
      for (const word of n.read) expect(text, `OCR read: ${text}`).toContain(squeeze(word));
    },
    60_000,
  );
});
