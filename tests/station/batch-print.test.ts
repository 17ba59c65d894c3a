/**
 * Night-before pre-printing (issue 19, item 9) to the virtual printer: every badge not yet printed, in name order
 * with a divider slip per letter, in the station's own process; a paper-out pauses the batch, and it resumes where
 * it stopped without printing anyone twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { dbDigest } from '../support/db-snapshot';
import { FakeClock, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let vp: VirtualPrinter;
const fast = 'connectMs=500&statusMs=400&writeMs=1500';
const sup = { transport: 'ipc', mode: 'desk', session: { staffId: 'sup', role: 'supervisor' } } as const;

beforeEach(async () => {
  t = tempDir();
  vp = new VirtualPrinter();
  await vp.start();
  // The desk's own printer: a screen prints only to those.
  s = await openStation(t.dir, { clock: new FakeClock(), printing: { healthPollMs: 0 }, printers: [vp.uri(fast)] });
  // r1 José Ñúñez, r2 Zoë Łukasz, r3 Søren Ødegård, r4 Ana Silva; plus a second S.
  const c = smallConference();
  c.registrants.push({
    id: 'r5',
    confirmationCode: 'LDC-EEE555',
    firstName: 'Bo',
    lastName: 'Sandberg',
    email: '',
    company: '',
    ticketTypeId: 'full',
    sessions: [],
  });
  must(await s.call('conference.import', { data: c }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
});
afterEach(async () => {
  await s.close();
  await vp.stop();
  t.cleanup();
});

describe('batch printing', () => {
  it('prints every badge in family-name order with a divider per letter; a paper-out pauses it and it resumes where it stopped', async () => {
    const printer = vp.uri(fast);
    // Paper runs out during the fourth slip (after the divider N, Ñúñez and the divider S).
    let n = 0;
    vp.on('job', () => {
      if (++n === 3) vp.set({ paperOutDuringNextJob: true });
    });
    const paused = must(await s.callAs(sup, 'print.batch', { printer, order: 'name', wait: true }));
    expect(paused).toMatchObject({ state: 'paused', total: 5, order: 'name' });
    expect(paused.words).toMatch(/paper/i);

    // Staff refill the paper. A job stopped mid-way may or may not have printed: they look and confirm it first.
    vp.set({ paperOut: false });
    const stopped = paused.stoppedJobId!;
    const job = must(await s.call('print.jobs', {})).find((j) => j.id === stopped)!;
    if (job.status === 'uncertain') {
      const before = dbDigest(`${t.dir}/desk-a.db`);
      expect(await s.callAs(sup, 'print.batchResume', { batchId: paused.id, wait: true })).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      expect(dbDigest(`${t.dir}/desk-a.db`)).toBe(before);
      must(await s.callAs(sup, 'print.confirm', { jobId: stopped, printed: false }));
    }
    const done = must(await s.callAs(sup, 'print.batchResume', { batchId: paused.id, wait: true }));
    expect(done).toMatchObject({ state: 'done', total: 5, printed: 5 });

    // In order, each badge printed once, a divider before each new letter (Łukasz under L, Ødegård under O). The
    // printer got exactly the printed jobs: nothing twice.
    const jobs = must(await s.call('print.jobs', { limit: 50 })).sort((a, b) => a.id.localeCompare(b.id));
    const printed = jobs
      .filter((j) => j.status === 'printed')
      .map((j) => (j.kind === 'divider' ? '|' : j.registrantId));
    expect(printed).toEqual(['|', 'r2', '|', 'r1', '|', 'r3', '|', 'r5', 'r4']);
    expect(vp.jobs.filter((j) => j.complete)).toHaveLength(printed.length);
    expect(must(await s.call('print.batches', {}))).toEqual([
      expect.objectContaining({ id: paused.id, state: 'done' }),
    ]);
    // Nothing left to print: a second batch is refused in words, and writes nothing.
    const before = dbDigest(`${t.dir}/desk-a.db`);
    expect(await s.callAs(sup, 'print.batch', { printer, wait: true })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('nothing to print') },
    });
    expect(dbDigest(`${t.dir}/desk-a.db`)).toBe(before);
  });
});
