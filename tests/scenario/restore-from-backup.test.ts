/**
 * The seq trap (issue 16): a desk is restored from a backup taken before it sold more. Its restored outbox would
 * hand out seqs HQ already holds (and HQ would drop those events as duplicates of others). Through the emulator:
 * the restored desk sells nothing until HQ told it where its stream stands and gave back what it sold since the
 * backup; then HQ and the desk agree, with nothing lost and nothing applied twice.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { createStation, type Station } from '../../main/station/create-station';
import { restoreStation } from '../../main/station/backups';
import { runCli } from '../../main/station/cli';
import { parseRuntimeConfig } from '../../main/runtime/config';
import { startRuntime } from '../../main/runtime/runtime';
import { startInstallation, type Installation } from '../support/installation';
import { dbDigest, rawAll, rawExec } from '../support/db-snapshot';
import { conferenceDay, dayAt, must, tempDir } from '../support/fixtures';
import { waitFor } from '../support/bus';

let t: ReturnType<typeof tempDir> | null = null;
let inst: Installation | null = null;
const open: Station[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
  await inst?.stop();
  inst = null;
  t?.cleanup();
  t = null;
});

function conference(): ConferenceFile {
  const registrants: ConferenceFile['registrants'] = [];
  for (let i = 0; i < 12; i++)
    registrants.push({
      id: `g${i}`,
      confirmationCode: `G-${i}`,
      firstName: 'Guest',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'restore-conf',
      name: 'Restore Conf',
      timezone: 'UTC',
      startsOn: conferenceDay(),
      endsOn: conferenceDay(),
    },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'hall',
        title: 'Hall talk',
        room: 'Hall',
        startsAt: dayAt('14:00'),
        endsAt: dayAt('15:00'),
        capacity: 100,
        sellable: true,
      },
    ],
    registrants,
  };
}

describe('restoring a desk from an old backup', () => {
  it(
    'learns from HQ where its stream stands and what it sold since, before it sells again; HQ and the desk agree',
    { timeout: 90_000 },
    async () => {
      t = tempDir('lanyard-restore-');
      inst = await startInstallation({ dir: t.dir, conference: conference(), stations: ['desk-a'] });
      const dbPath = join(t.dir, 'desk-a.db');
      const hqDb = join(t.dir, 'hq.db');
      const start = async () => {
        const s = await createStation({ dbPath, stationId: 'desk-a', sync: inst!.syncFor('desk-a') });
        open.push(s);
        return s;
      };
      const close = async (s: Station) => {
        open.splice(open.indexOf(s), 1);
        await s.close();
      };
      const hqNext = () =>
        rawAll<{ next_seq: number }>(hqDb, `SELECT next_seq FROM station WHERE origin = 'station:desk-a'`)[0]
          ?.next_seq ?? 1;
      const drained = async (s: Station) =>
        waitFor(
          async () => {
            const st = must(await s.call('station.status', {}));
            return st.outbox.depth === 0 && hqNext() === st.outbox.lastSeq + 1;
          },
          20_000,
          'HQ applied everything the desk sent',
        );

      let desk = await start();
      must(await desk.call('conference.import', { data: conference() }));
      await waitFor(async () => must(await desk.call('sync.status', {})).state === 'online', 20_000, 'desk online');
      for (const g of ['g0', 'g1', 'g2'])
        expect(must(await desk.call('sale.sell', { sessionId: 'hall', registrantId: g })).outcome).toBe('confirmed');
      await drained(desk);
      const backup = must(await desk.call('backup.create', {}));
      const atBackup = must(await desk.call('station.status', {})).outbox.lastSeq;

      // After the backup: a walk-up registers and buys a seat, three more seats, one released.
      const walkUp = must(
        await desk.call('registrant.registerWalkUp', { firstName: 'Wanda', lastName: 'Walkup', ticketTypeId: 'full' }),
      );
      const sold: string[] = [];
      for (const g of [walkUp.id, 'g3', 'g4', 'g5'])
        sold.push(must(await desk.call('sale.sell', { sessionId: 'hall', registrantId: g })).sale!.id);
      must(await desk.call('sale.release', { saleId: sold[3]!, reason: 'changed their mind' }));
      await drained(desk);
      const before = { lastSeq: must(await desk.call('station.status', {})).outbox.lastSeq, hqNext: hqNext() };
      expect(before.lastSeq).toBeGreaterThan(atBackup);
      await close(desk);

      // The PC's disk dies; the station is restored from the backup (station stopped).
      const restored = must(await restoreStation({ dbPath, from: backup.file, at: new Date().toISOString() }));
      expect(restored).toMatchObject({ stationId: 'desk-a', backupLastSeq: atBackup, waitsForHq: true });
      expect(rawAll(dbPath, `SELECT count(*) n FROM sale`)).toEqual([{ n: 3 }]); // the backup's world

      // Without HQ (no sync): it refuses to sell or register, and writes nothing.
      const alone = await createStation({ dbPath });
      open.push(alone);
      const refused = await alone.call('sale.sell', { sessionId: 'hall', registrantId: 'g6' });
      expect(refused.ok ? null : refused.error).toMatchObject({
        code: 'conflict',
        details: { reason: 'stream_recovery' },
      });
      expect(must(await alone.call('backup.status', {})).streamRecovery).toMatchObject({ backupLastSeq: atBackup });
      await close(alone);
      const digest = dbDigest(dbPath);
      const again = await createStation({ dbPath });
      open.push(again);
      const walk2 = await again.call('registrant.registerWalkUp', {
        firstName: 'Nope',
        lastName: 'Never',
        ticketTypeId: 'full',
      });
      expect(walk2.ok ? null : walk2.error.code).toBe('conflict');
      await close(again);
      expect(dbDigest(dbPath)).toBe(digest);

      // Online: HQ answers, the desk gets back what it sold since the backup and continues after HQ's last seq.
      desk = await start();
      await waitFor(
        async () => must(await desk.call('backup.status', {})).streamRecovery === null,
        30_000,
        'HQ answered the restored desk',
      );
      expect(must(await desk.call('station.status', {})).outbox.lastSeq).toBe(before.hqNext - 1);
      const sales = rawAll<{ id: string; registrant_id: string; status: string }>(
        dbPath,
        `SELECT id, registrant_id, status FROM sale ORDER BY created_at`,
      );
      expect(sales.map((s) => [s.registrant_id, s.status])).toEqual([
        ['g0', 'confirmed'],
        ['g1', 'confirmed'],
        ['g2', 'confirmed'],
        [walkUp.id, 'confirmed'],
        ['g3', 'confirmed'],
        ['g4', 'confirmed'],
        ['g5', 'released'],
      ]);
      expect(must(await desk.call('registrant.get', { id: walkUp.id })).firstName).toBe('Wanda');

      // It sells again: new seqs after HQ's, applied once each.
      for (const g of ['g6', 'g7'])
        expect(must(await desk.call('sale.sell', { sessionId: 'hall', registrantId: g })).outcome).toBe('confirmed');
      await drained(desk);
      expect(rawAll(hqDb, `SELECT count(*) n FROM dead_letter`)).toEqual([{ n: 0 }]);
      const hqSeqs = rawAll<{ seq: number }>(
        hqDb,
        `SELECT seq FROM inbox WHERE origin = 'station:desk-a' ORDER BY seq`,
      ).map((r) => r.seq);
      expect(hqSeqs).toEqual(Array.from({ length: hqSeqs.length }, (_, i) => i + 1)); // gap-free, each seq once
      const local = rawAll<{ seq: number; id: string }>(dbPath, `SELECT seq, id FROM outbox ORDER BY seq`);
      expect(local.map((r) => r.id)).toEqual(
        rawAll<{ id: string }>(hqDb, `SELECT id FROM inbox WHERE origin = 'station:desk-a' ORDER BY seq`).map(
          (r) => r.id,
        ),
      );
      const hqSales = rawAll<{ registrant_id: string; released: number }>(
        hqDb,
        `SELECT registrant_id, released_at IS NOT NULL released FROM sale WHERE station = 'station:desk-a' ORDER BY decided_at, registrant_id`,
      );
      expect(hqSales.length).toBe(9);
      const deskSales = rawAll<{ registrant_id: string; status: string }>(
        dbPath,
        `SELECT registrant_id, status FROM sale`,
      );
      expect(new Set(deskSales.map((s) => `${s.registrant_id}:${s.status === 'released' ? 1 : 0}`))).toEqual(
        new Set(hqSales.map((s) => `${s.registrant_id}:${s.released}`)),
      );
      const hall = rawAll<{ sold: number }>(hqDb, `SELECT sold FROM session WHERE id = 'hall'`)[0]!.sold;
      expect(hall).toBe(8); // 9 sold, 1 released
    },
  );

  it('refuses a backup that fails the integrity check or the audit chain, and changes nothing', async () => {
    t = tempDir('lanyard-restore-bad-');
    const dbPath = join(t.dir, 'desk-a.db');
    const s = await createStation({ dbPath, stationId: 'desk-a' });
    open.push(s);
    must(await s.call('staff.add', { id: 'sam', name: 'Sam', role: 'supervisor', pin: '2468' }));
    const good = must(await s.call('backup.create', {}));
    await s.close();
    open.splice(0);
    const digest = dbDigest(dbPath);

    // An altered audit log.
    const tampered = join(t.dir, 'tampered.db');
    const { copyFileSync, writeFileSync, readFileSync } = await import('node:fs');
    copyFileSync(good.file, tampered);
    rawExec(tampered, 'DROP TRIGGER audit_log_no_update');
    rawExec(tampered, `UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`);
    const r1 = await restoreStation({ dbPath, from: tampered, at: new Date().toISOString() });
    expect(r1.ok ? null : r1.error).toMatchObject({ code: 'damaged', message: expect.stringMatching(/audit log/) });

    // A damaged file: a page in the middle overwritten.
    const broken = join(t.dir, 'broken.db');
    const bytes = readFileSync(good.file);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 2000);
    writeFileSync(broken, bytes);
    const r2 = await restoreStation({ dbPath, from: broken, at: new Date().toISOString() });
    expect(r2.ok ? null : r2.error.code).toBe('damaged');

    // Another station's backup.
    const other = await createStation({ dbPath: join(t.dir, 'desk-b.db'), stationId: 'desk-b' });
    const otherBackup = must(await other.call('backup.create', {}));
    await other.close();
    const r3 = await restoreStation({ dbPath, from: otherBackup.file, at: new Date().toISOString() });
    expect(r3.ok ? null : r3.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/desk-b/) });
    expect(dbDigest(dbPath)).toBe(digest);

    // The CLI says the same and exits 1.
    const lines: string[] = [];
    const code = await runCli(['--db', dbPath, 'restore', '--from', tampered], {
      out: () => {},
      err: (l) => lines.push(l),
    });
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/audit log/);
    expect(dbDigest(dbPath)).toBe(digest);
  });

  it('keeps N backups, newest first', async () => {
    t = tempDir('lanyard-backups-');
    const s = await createStation({ dbPath: join(t.dir, 'desk-a.db'), stationId: 'desk-a', backups: { keep: 2 } });
    open.push(s);
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(must(await s.call('backup.create', {})));
      await new Promise((r) => setTimeout(r, 5)); // distinct millisecond names
    }
    const status = must(await s.call('backup.status', {}));
    expect(status.backups.map((b) => b.file)).toEqual([made[2]!.file, made[1]!.file]);
    expect(made[2]!.removed).toEqual([made[0]!.file]);
  });

  it('the runtime takes backups on its schedule, the newest N kept', { timeout: 30_000 }, async () => {
    t = tempDir('lanyard-backup-schedule-');
    const parsed = parseRuntimeConfig(
      { stationId: 'desk-a', dataDir: 'desk-a', backup: { everyMin: 0.003, keep: 2 } },
      { baseDir: t.dir, defaultDataDir: t.dir },
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const runtime = await startRuntime(parsed.config, { healthPollMs: 0 });
    try {
      const kept = async () => must(await runtime.station.call('backup.status', {})).backups.map((b) => b.file);
      await waitFor(async () => (await kept()).length === 2, 20_000, 'two scheduled backups');
      const first = await kept();
      await waitFor(async () => (await kept())[0] !== first[0], 20_000, 'a newer scheduled backup');
      const now = await kept();
      expect(now).toHaveLength(2);
      expect(now[1]).toBe(first[0]); // the oldest went
      expect(now.every((f) => f.startsWith(join(t!.dir, 'desk-a', 'backups')))).toBe(true);
    } finally {
      await runtime.stop();
    }
  });
});
