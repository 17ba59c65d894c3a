/**
 * The receipt on the desk's thermal printer (issue 19, item 4): the bytes the virtual TCP printer received,
 * decoded back to dots, are the same raster the screen shows (`receipt.preview`'s PNG), and a person — tesseract
 * here — reads the total off the paper. A PDF is not made: the receipt is this one raster, on paper or as PNG.
 */
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { ocr, squeeze } from '../../tools/virtual-printer/ocr';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { dbDigest } from '../support/db-snapshot';
import { FakeClock, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let vp: VirtualPrinter;
const fast = 'connectMs=500&statusMs=400&writeMs=1500';
const desk1 = { transport: 'ipc', mode: 'desk', session: { staffId: 'desk1', role: 'desk' } } as const;
const dbPath = () => `${t.dir}/desk-a.db`;

beforeEach(async () => {
  t = tempDir();
  vp = new VirtualPrinter();
  await vp.start();
  s = await openStation(t.dir, { clock: new FakeClock(), printing: { healthPollMs: 0 }, printers: [vp.uri(fast)] });
  const c = smallConference();
  c.conference.currency = 'EUR';
  c.ticketTypes = [
    { id: 'full', name: 'Full pass', badgeTemplate: 'standard', price: 30_000 },
    { id: 'day', name: 'Day pass', badgeTemplate: 'standard', price: 12_000 },
  ];
  must(await s.call('conference.import', { data: c }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  must(
    await s.call('staff.add', {
      id: 'desk1',
      name: 'Dee Desk',
      role: 'desk',
      pin: '1357',
      by: { supervisorId: 'sup', pin: '2468' },
    }),
  );
});
afterEach(async () => {
  await s.close();
  await vp.stop();
  t.cleanup();
});

/** The preview's PNG as dots (1 = ink), the way the printer's raster is decoded. */
function dotsOf(base64: string): { width: number; height: number; data: number[] } {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  const data: number[] = [];
  for (let i = 0; i < png.width * png.height; i++) data.push(png.data[i * 4]! < 128 ? 1 : 0);
  return { width: png.width, height: png.height, data };
}

describe('receipt.print', () => {
  it('prints the preview’s raster on the thermal printer, and its total reads back off the paper', async () => {
    const walkUp = must(
      await s.callAs(desk1, 'registrant.registerWalkUp', {
        firstName: 'Rita',
        lastName: 'Recibo',
        ticketTypeId: 'day',
        payment: { method: 'cash' },
      }),
    );
    // A day pass upgraded to a full pass: the difference paid by card.
    must(
      await s.callAs(desk1, 'registration.changeTicket', {
        registrantId: walkUp.id,
        ticketTypeId: 'full',
        payment: { method: 'card', reference: 'T-77' },
      }),
    );
    const preview = must(await s.callAs(desk1, 'receipt.preview', { registrantId: walkUp.id }));
    expect(preview.total).toEqual({ amount: 30_000, currency: 'EUR' });

    const job = must(await s.callAs(desk1, 'receipt.print', { registrantId: walkUp.id }));
    expect(job).toMatchObject({ kind: 'receipt', status: 'printed', registrantId: walkUp.id });
    await vp.settled();
    const printed = vp.jobs.at(-1)!;
    expect(printed.complete).toBe(true);
    const bmp = printed.decoded!.bitmap;

    const shown = dotsOf(preview.png);
    // The paper is the screen's picture, row for row, then the printer's own cut mark (a few rows) below it.
    expect(bmp.width).toBe(shown.width);
    expect(bmp.height - shown.height).toBeGreaterThanOrEqual(0);
    expect(bmp.height - shown.height).toBeLessThan(40);
    expect(printed.decoded).toMatchObject({ cuts: 1 });
    let differ = 0;
    for (let i = 0; i < shown.data.length; i++) if ((bmp.data[i] ? 1 : 0) !== shown.data[i]) differ++;
    expect(differ).toBe(0);

    // What the person reads: the total, and both payments' amounts.
    const text = squeeze(await ocr(bmp, 'eng'));
    expect(text).toMatch(/Totalpaid300\.00EUR/);
    expect(text).toContain('120.00EUR');
    expect(text).toContain('180.00EUR');
    expect(text).toContain('RitaRecibo');
  });

  it('a receipt for someone unknown, or to a printer this desk does not have, writes and prints nothing', async () => {
    // The printing service is up (it records its printers when it starts): one receipt first.
    must(await s.callAs(desk1, 'receipt.print', { registrantId: 'r1' }));
    await vp.settled();
    const before = dbDigest(dbPath());
    const jobs = vp.jobs.length;
    expect(await s.callAs(desk1, 'receipt.print', { registrantId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const other = await s.callAs(desk1, 'receipt.print', {
      registrantId: 'r1',
      printer: 'tcp://127.0.0.1:1/?lang=escpos',
    });
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dbDigest(dbPath())).toBe(before);
    expect(vp.jobs.length).toBe(jobs);
  });
});
