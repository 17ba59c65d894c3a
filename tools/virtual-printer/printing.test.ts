/**
 * Badge printing end to end: a station, its durable queue and Lanyard's TCP transport, over loopback to the
 * virtual printer; what was printed is decoded back (text from the ESC/POS text commands, the QR from the raster
 * with jsqr) and verified. Every fault leads to the right job state; nothing is printed twice, nothing is lost.
 */
import jsQR from 'jsqr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bitmap } from '../../core/badge/bitmap';
import { bitmapToRgba } from '../../main/printing/bitmap-png';
import type { Station } from '../../main/station/create-station';
import { rawAll, rawExec } from '../../tests/support/db-snapshot';
import { FakeClock, hq, must, openStation, smallConference, tempDir } from '../../tests/support/fixtures';
import { VirtualPrinter, type CapturedJob } from './virtual-printer';

let t: ReturnType<typeof tempDir>;
let vp: VirtualPrinter;
let s: Station;
let clock: FakeClock;
const fast = 'connectMs=500&statusMs=400&writeMs=1500';

function qrOf(bmp: Bitmap): string | null {
  return jsQR(bitmapToRgba(bmp), bmp.width, bmp.height)?.data ?? null;
}
const lastJob = (): CapturedJob => vp.jobs[vp.jobs.length - 1]!;

beforeEach(async () => {
  t = tempDir();
  vp = new VirtualPrinter({ outDir: `${t.dir}/out` });
  await vp.start();
  clock = new FakeClock();
  s = await openStation(t.dir, { clock, printing: { healthPollMs: 0 } });
  const conf = smallConference();
  conf.registrants.push(
    {
      id: 'r5',
      confirmationCode: 'LDC-EEE555',
      firstName: 'Maximilian Alexander',
      lastName: 'von Hohenzollern-Sigmaringen',
      email: '',
      company: 'Extremely Long Company Name Holdings International',
      ticketTypeId: 'full',
      sessions: ['panel', 'workshop'],
    },
    {
      id: 'r6',
      confirmationCode: 'LDC-FFF666',
      firstName: 'Wolfeschlegelsteinhausenbergerdorff',
      lastName: 'Jr.',
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    },
  );
  must(await s.call('conference.import', { data: conf }));
});
afterEach(async () => {
  await s.close();
  await vp.stop();
  t.cleanup();
});

describe('printing a badge to the virtual printer', () => {
  it.each([
    ['r1', 'José Ñúñez'],
    ['r2', 'Zoë Łukasz'],
    ['r3', 'Søren Ødegård'],
  ])("%s: one raster of the template's length, the QR decodes from it and verifies", async (id, name) => {
    const job = must(await s.call('badge.print', { registrantId: id, printer: vp.uri(fast) }));
    expect(job).toMatchObject({ status: 'printed', words: 'printed', badgeVersion: 1, kind: 'badge', warnings: [] });
    await vp.settled();
    const printed = lastJob();
    // No text commands: the name is in the dots (ocr.test.ts reads it back), never in a printer code page.
    expect(printed.decoded!.lines).toEqual([]);
    expect(printed.decoded!.cuts).toBe(1);
    // The standard template is 120 mm long: every badge the same length (the printer adds its cutter distance).
    const rasterRows = printed.decoded!.images.reduce((n, i) => n + i.bitmap.height, 0);
    expect(rasterRows).toBe(Math.round((120 * 203) / 25.4));
    const code = qrOf(printed.decoded!.bitmap);
    expect(code).toMatch(new RegExp(`^LY1\\|conf-1\\|${id}\\|1\\|`));
    expect(must(await s.call('badge.verify', { code: code! }))).toMatchObject({
      valid: true,
      registrantId: id,
      version: 1,
      station: 'station:desk-a',
      name,
    });
    expect(printed.files.map((f) => f.slice(-4))).toEqual(['.bin', '.txt', '.png']);
  });

  it("text mode: the name comes back as text in the printer's font, biggest first, code pages decoded", async () => {
    must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(`${fast}&mode=text`) }));
    await vp.settled();
    const lines = lastJob().decoded!.lines;
    expect(lines.map((l) => l.text)).toEqual(expect.arrayContaining(['Zoë', 'Łukasz', 'Globex', 'FULL PASS']));
    const big = lines.find((l) => l.text === 'Zoë')!;
    for (const l of lines) expect(l.scaleW).toBeLessThanOrEqual(big.scaleW);
    expect(lastJob().decoded!.undecodable).toBe(0);
    expect(qrOf(lastJob().decoded!.bitmap)).toMatch(/^LY1\|conf-1\|r2\|1\|/);
  });

  it('very long names are wrapped by the app at word boundaries (text mode), and never cut by the printer', async () => {
    for (const paper of ['80', '58']) {
      must(
        await s.call('badge.print', {
          registrantId: 'r5',
          printer: vp.uri(`${fast}&paper=${paper}&dpi=180&mode=text`),
          reason: `paper ${paper}`,
        }),
      );
      await vp.settled();
      const lines = lastJob().decoded!.lines;
      const full = 'Maximilian Alexander von Hohenzollern-Sigmaringen';
      // Every printed word of the name is a whole word: nothing was split mid-word.
      const words = new Set(full.split(' '));
      const nameLines = lines.filter((l) => l.text.split(' ').every((w) => words.has(w)));
      expect(nameLines.map((l) => l.text).join(' ')).toBe(full);
      const cols = paper === '80' ? 42 : 30;
      for (const l of lines) expect(Array.from(l.text).length * l.scaleW, l.text).toBeLessThanOrEqual(cols);
    }
    // A 35-letter word fits whole on 80 mm (48 columns at 1×)...
    must(await s.call('badge.print', { registrantId: 'r6', printer: vp.uri(`${fast}&mode=text`) }));
    await vp.settled();
    expect(lastJob().text).toContain('Wolfeschlegelsteinhausenbergerdorff');
    // ...not on 58 mm (32 columns): as a last resort the app cuts it at the line end (and the preview warns).
    must(
      await s.call('badge.print', {
        registrantId: 'r6',
        printer: vp.uri(`${fast}&paper=58&mode=text`),
        reason: 'narrow paper',
      }),
    );
    await vp.settled();
    const cut = lastJob().text.filter((l) => 'Wolfeschlegelsteinhausenbergerdorff'.includes(l));
    expect(cut.length).toBe(2);
    expect(cut.join('')).toBe('Wolfeschlegelsteinhausenbergerdorff');
    const preview = must(
      await s.call('badge.preview', { registrantId: 'r6', printer: 'tcp://127.0.0.1:9100?paper=58&mode=text' }),
    );
    expect(preview.warnings).toContainEqual(expect.objectContaining({ code: 'text_shortened', field: 'name' }));
  });

  it('the native QR option (text mode) prints GS ( k, which the printer renders and jsqr reads', async () => {
    must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(`${fast}&mode=text&qr=native`) }));
    await vp.settled();
    const d = lastJob().decoded!;
    expect(d.nativeQr).toHaveLength(1);
    expect(qrOf(d.bitmap)).toBe(d.nativeQr[0]);
    expect(must(await s.call('badge.verify', { code: d.nativeQr[0]! })).valid).toBe(true);
  });

  it('ZPL to a Zebra on TCP: one ^GF raster, captured, rendered with zpl-renderer-js, QR decoded and verified', async () => {
    const job = must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(`${fast}&lang=zpl`) }));
    expect(job.status).toBe('printed');
    await vp.settled();
    const printed = lastJob();
    expect(printed.language).toBe('zpl');
    expect(printed.bytes.toString('utf8')).toContain('^GFA,');
    const { ready } = await import('zpl-renderer-js');
    const { api } = await ready;
    const { PNG } = await import('pngjs');
    const img = PNG.sync.read(
      Buffer.from(await api.zplToBase64Async(printed.bytes.toString('utf8'), 101.6, 152.4, 8), 'base64'),
    );
    const code = jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data;
    expect(must(await s.call('badge.verify', { code: code! })).valid).toBe(true);
  }, 30_000);

  it("the preview is the raster that prints, as a PNG a browser shows, with the badge's words and warnings", async () => {
    const pv = must(await s.call('badge.preview', { registrantId: 'r2', printer: vp.uri(fast) }));
    expect(pv).toMatchObject({
      templateId: 'standard',
      media: 'escpos-80-203',
      mode: 'raster',
      dpi: 203,
      width: 576,
      warnings: [],
    });
    expect(pv.lines).toEqual(expect.arrayContaining(['Zoë', 'Łukasz', 'Globex', 'FULL PASS']));
    const png = Buffer.from(pv.png, 'base64');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }));
    await vp.settled();
    // Dot for dot what the printer got.
    const { PNG } = await import('pngjs');
    const img = PNG.sync.read(png);
    const printed = lastJob().decoded!.images[0]!.bitmap;
    expect([img.width, img.height]).toEqual([printed.width, pv.height]);
    let same = 0;
    for (let y = 0; y < Math.min(printed.height, 256); y++)
      for (let x = 0; x < printed.width; x++)
        same += (img.data[(y * img.width + x) * 4]! < 128 ? 1 : 0) === printed.data[y * printed.width + x] ? 1 : 0;
    expect(same).toBe(Math.min(printed.height, 256) * printed.width);
  });

  it('a test page prints and is logged apart from check-in', async () => {
    const job = must(await s.call('printer.testPage', { printer: vp.uri(fast) }));
    expect(job).toMatchObject({ kind: 'test', status: 'printed', registrantId: null });
    await vp.settled();
    expect(lastJob().text).toContain('LANYARD TEST PAGE');
    expect(lastJob().text).toContain('Zoë Łukasz · José Ñúñez · Søren Ødegård');
    const log = must(await s.call('print.log', { jobId: job.id }));
    expect(log.map((e) => e.event).reverse()).toEqual(['test page', 'sending', 'finished']);
    expect(rawAll<{ n: number }>(`${t.dir}/desk-a.db`, 'SELECT count(*) n FROM check_in')[0]!.n).toBe(0);
  });

  it('announces the station key once (StationHello) and tells HQ what printed (BadgePrinted)', async () => {
    const key = must(await s.call('badge.stationKey', {}));
    must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast) }));
    const events = rawAll<{ type: string; body: string }>(
      `${t.dir}/desk-a.db`,
      'SELECT type, body FROM outbox ORDER BY seq',
    );
    expect(events.map((e) => e.type)).toEqual(['StationHello', 'BadgePrinted']);
    expect(JSON.parse(events[0]!.body).payload).toMatchObject({
      stationId: 'desk-a',
      keyId: key.keyId,
      publicKey: key.publicKey,
    });
    expect(JSON.parse(events[1]!.body).payload).toMatchObject({ registrantId: 'r1', badgeVersion: 1 });
  });
});

describe('a name no font here can draw', () => {
  it('is flagged on the preview and on the print job with a code and words, never printed as boxes in silence', async () => {
    // A station without the operating system's CJK fonts (as a kiosk without the CJK font pack would be).
    await s.close();
    s = await openStation(t.dir, { clock, printing: { healthPollMs: 0, osFonts: false } });
    const conf = smallConference();
    conf.registrants.push({
      id: 'r-yang',
      confirmationCode: 'LDC-YANG01',
      firstName: '洋',
      lastName: '杨',
      email: '',
      company: 'Harbourview',
      ticketTypeId: 'full',
      sessions: [],
    });
    must(await s.call('conference.import', { data: conf }));
    const pv = must(await s.call('badge.preview', { registrantId: 'r-yang', printer: vp.uri(fast) }));
    const warning = { code: 'missing_glyphs', field: 'name', script: 'Han', fontPack: 'cjk', chars: '杨洋' };
    expect(pv.warnings).toEqual([expect.objectContaining(warning)]);
    expect(pv.warnings[0]!.words).toContain('CJK font pack');
    const job = must(await s.call('badge.print', { registrantId: 'r-yang', printer: vp.uri(fast) }));
    expect(job.warnings).toEqual([expect.objectContaining(warning)]);
    expect(must(await s.call('print.jobs', { registrantId: 'r-yang' }))[0]!.warnings).toEqual(job.warnings);
    // A Latin name on the same station has nothing to flag.
    expect(must(await s.call('badge.preview', { registrantId: 'r1' })).warnings).toEqual([]);
  });
});

describe('faults lead to the right job state', () => {
  it('paper out: failed with "paper out" before sending; the printer got no job', async () => {
    vp.set({ paperOut: true });
    const job = must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast) }));
    expect(job).toMatchObject({ status: 'failed', sendingAt: null });
    expect(job.words).toContain('paper out');
    await vp.settled();
    expect(vp.jobs).toHaveLength(0);
    expect(must(await s.call('printer.list', {}))[0]).toMatchObject({ state: 'paper_out', words: 'paper out' });
    // Paper loaded: printing again needs no reason (nothing was printed) and keeps the badge version.
    vp.set({ paperOut: false });
    const again = must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast) }));
    expect(again).toMatchObject({ status: 'printed', badgeVersion: 1 });
  });

  it.each([
    [{ coverOpen: true }, 'cover open'],
    [{ offline: true }, 'offline'],
  ])('%j: failed in words, nothing sent', async (fault, words) => {
    vp.set(fault);
    const job = must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }));
    expect(job.status).toBe('failed');
    expect(job.words).toContain(words);
    await vp.settled();
    expect(vp.jobs).toHaveLength(0);
  });

  it('unreachable: failed with "unreachable"', async () => {
    const port = vp.port;
    await vp.stop();
    const job = must(await s.call('badge.print', { registrantId: 'r2', printer: `tcp://127.0.0.1:${port}?${fast}` }));
    expect(job.status).toBe('failed');
    expect(job.words).toMatch(/^unreachable: connection refused/);
    expect(must(await s.call('printer.status', { printer: `tcp://127.0.0.1:${port}?${fast}` }))).toMatchObject({
      state: 'unreachable',
    });
  });

  it('connection dropped mid-job: uncertain, never retried; staff confirm, and BadgePrinted follows', async () => {
    vp.set({ dropAfterBytes: 2000 });
    const job = must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }));
    expect(job.status).toBe('uncertain');
    expect(job.words).toContain('dropped');
    await vp.settled();
    expect(vp.jobs).toHaveLength(1);
    expect(vp.jobs[0]!.complete).toBe(false);
    // Nothing retries it: another job on the printer goes through, the uncertain one stays.
    must(await s.call('badge.print', { registrantId: 'r3', printer: vp.uri(fast) }));
    await vp.settled();
    expect(vp.jobs).toHaveLength(2);
    expect(must(await s.call('print.jobs', { status: 'uncertain' })).map((j) => j.id)).toEqual([job.id]);
    // Printing the same badge again without a reason is refused (a badge may exist).
    const refused = await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const confirmed = must(await s.call('print.confirm', { jobId: job.id, printed: true }));
    expect(confirmed).toMatchObject({ status: 'printed', words: 'confirmed printed by staff' });
    const types = rawAll<{ type: string }>(`${t.dir}/desk-a.db`, 'SELECT type FROM outbox ORDER BY seq').map(
      (r) => r.type,
    );
    expect(types.filter((x) => x === 'BadgePrinted')).toHaveLength(2);
    expect(await s.call('print.confirm', { jobId: job.id, printed: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('reprint after an uncertain job: new version, the old code is rejected at the door', async () => {
    vp.set({ dropAfterBytes: 3000 });
    const first = must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast) }));
    expect(first.status).toBe('uncertain');
    const oldCode = rawAll<{ code: string }>(
      `${t.dir}/desk-a.db`,
      `SELECT code FROM badge WHERE registrant_id = 'r1' AND version = 1`,
    )[0]!.code;
    const second = must(
      await s.call('print.reprint', { jobId: first.id, reason: 'jammed, staff could not see the badge' }),
    );
    expect(second).toMatchObject({
      status: 'printed',
      badgeVersion: 2,
      reprintOf: first.id,
      reason: 'jammed, staff could not see the badge',
    });
    await vp.settled();
    const newCode = qrOf(lastJob().decoded!.bitmap)!;
    expect(must(await s.call('badge.verify', { code: newCode }))).toMatchObject({ valid: true, version: 2 });
    expect(must(await s.call('badge.verify', { code: oldCode }))).toMatchObject({ valid: false, reason: 'revoked' });
    const voided = rawAll<{ body: string }>(`${t.dir}/desk-a.db`, `SELECT body FROM outbox WHERE type = 'BadgeVoided'`);
    expect(JSON.parse(voided[0]!.body).payload).toMatchObject({ registrantId: 'r1', badgeVersion: 1 });
    const audit = rawAll<{ action: string }>(
      `${t.dir}/desk-a.db`,
      `SELECT action FROM audit_log WHERE action = 'badge.void'`,
    );
    expect(audit).toHaveLength(1);
  });

  it('a slow printer: no answer after the job within the write timeout → uncertain; slower than the status timeout → failed, nothing sent', async () => {
    vp.set({ slowMs: 250 });
    const job = must(
      await s.call('badge.print', { registrantId: 'r1', printer: vp.uri('connectMs=500&statusMs=1000&writeMs=100') }),
    );
    expect(job.status).toBe('uncertain');
    expect(job.words).toContain('no status answer after the job');
    vp.set({ slowMs: 600 });
    const job2 = must(
      await s.call('badge.print', { registrantId: 'r2', printer: vp.uri('connectMs=500&statusMs=200&writeMs=1000') }),
    );
    expect(job2.status).toBe('failed');
    expect(job2.words).toContain('not responding');
    await vp.settled();
    expect(vp.jobs.filter((j) => j.text.some((l) => l.includes('Zoë')))).toHaveLength(0);
  });

  it('paper runs out during the job → uncertain with "paper out during the job"', async () => {
    vp.set({ paperOutDuringNextJob: true });
    const job = must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast) }));
    expect(job).toMatchObject({ status: 'uncertain', words: 'paper out during the job' });
  });
});

describe('durability', () => {
  it('many jobs with faults on two printers: every job ends in a final state, each printed badge printed exactly once', async () => {
    const vp2 = new VirtualPrinter();
    await vp2.start();
    try {
      const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      const printers = [vp.uri(fast), vp2.uri(fast)];
      const results = [];
      for (let round = 0; round < 3; round++) {
        if (round === 1) vp.set({ dropAfterBytes: 1500 });
        if (round === 2) vp2.set({ paperOut: true });
        const batch = await Promise.all(
          ids.map((id, i) =>
            s.call('badge.print', { registrantId: id, printer: printers[i % 2]!, reason: `round ${round}` }),
          ),
        );
        for (const r of batch) results.push(r);
        vp2.set({ paperOut: false });
      }
      await Promise.all([vp.settled(), vp2.settled()]);
      // Some calls are refused (an uncertain job needs staff first); every accepted job is final.
      const jobs = must(await s.call('print.jobs', { limit: 500 }));
      expect(jobs.length).toBe(results.filter((r) => r.ok).length);
      for (const j of jobs) expect(['printed', 'failed', 'uncertain']).toContain(j.status);
      const printedJobs = jobs.filter((j) => j.status === 'printed');
      const captured = [...vp.jobs, ...vp2.jobs].filter((j) => j.complete && j.cut);
      expect(captured).toHaveLength(printedJobs.length);
      // Each captured badge carries a distinct (registrant, version): no badge was printed twice.
      const codes = captured.map((j) => qrOf(j.decoded!.bitmap));
      expect(new Set(codes).size).toBe(codes.length);
      for (const j of jobs.filter((x) => x.status === 'failed')) expect(j.sendingAt).toBeNull();
    } finally {
      await vp2.stop();
    }
  });

  it('after a crash mid-send the job is uncertain, not resent; an old queued job expires', async () => {
    const job = must(await s.call('badge.print', { registrantId: 'r1', printer: vp.uri(fast), wait: true }));
    await vp.settled();
    await s.close();
    const db = `${t.dir}/desk-a.db`;
    rawExec(db, `UPDATE print_job SET status = 'sending', words = NULL, finished_at = NULL WHERE id = ?`, job.id);
    // Queued two hours before the station's clock: long past the queue's expiry.
    rawExec(
      db,
      `INSERT INTO print_job (id, printer_uri, kind, status, bytes, created_at) VALUES ('old-job', ?, 'test', 'queued', x'1b40', ?)`,
      vp.uri(fast),
      new Date(clock.now() - 2 * 3_600_000).toISOString(),
    );
    s = await openStation(t.dir, { clock, printing: { healthPollMs: 0 } });
    const before = vp.jobs.length;
    must(await s.call('printer.testPage', { printer: vp.uri(fast) }));
    const after = must(await s.call('print.jobs', {}));
    expect(after.find((j) => j.id === job.id)).toMatchObject({
      status: 'uncertain',
      words: expect.stringContaining('the station stopped while sending'),
    });
    expect(after.find((j) => j.id === 'old-job')).toMatchObject({
      status: 'failed',
      words: expect.stringContaining('expired'),
    });
    await vp.settled();
    expect(vp.jobs.length).toBe(before + 1);
  });

  it('HQ revocations and other stations’ keys are honoured by badge.verify', async () => {
    const job = must(await s.call('badge.print', { registrantId: 'r4', printer: vp.uri(fast) }));
    expect(job.status).toBe('printed');
    await vp.settled();
    const code = qrOf(lastJob().decoded!.bitmap)!;
    expect(must(await s.call('badge.verify', { code })).valid).toBe(true);
    must(await s.call('feed.apply', { envelope: hq('BadgeRevoked', { registrantId: 'r4', badgeVersion: 1 }) }));
    expect(must(await s.call('badge.verify', { code }))).toMatchObject({ valid: false, reason: 'revoked' });
    const forged = code.replace('|r4|', '|r3|');
    expect(must(await s.call('badge.verify', { code: forged }))).toMatchObject({
      valid: false,
      reason: 'bad_signature',
    });
  });
});

describe('station command line', () => {
  it('print --registrant ID --printer URI prints through the queue and outputs the final job as JSON', async () => {
    const { runCli } = await import('../../main/station/cli');
    const { writeFileSync } = await import('node:fs');
    const file = `${t.dir}/conf.json`;
    writeFileSync(file, JSON.stringify(smallConference()));
    const db = `${t.dir}/cli.db`;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => undefined };
    expect(
      await runCli(
        ['--db', db, 'staff-add', '--id', 'sam', '--name', 'Sam', '--role', 'supervisor', '--pin', '2468'],
        io,
      ),
    ).toBe(0);
    const sam = ['--staff', 'sam', '--pin', '2468'];
    expect(await runCli(['--db', db, ...sam, 'import', file], io)).toBe(0);
    out.length = 0;
    expect(
      await runCli(['--db', db, ...sam, 'print', '--registrant', 'r2', '--printer', vp.uri(`${fast}&mode=text`)], io),
    ).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ registrantId: 'r2', status: 'printed', badgeVersion: 1 });
    await vp.settled();
    expect(lastJob().text.join(' ')).toContain('Zoë Łukasz');
    out.length = 0;
    expect(await runCli(['--db', db, ...sam, 'print', '--registrant', 'r2', '--printer', 'ftp://x'], io)).toBe(1);
    expect(JSON.parse(out.join('\n')).error.code).toBe('invalid_input');
  });
});
