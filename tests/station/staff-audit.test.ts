import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { MAX_PIN_ATTEMPTS } from '../../main/station/handlers/staff';
import { dbDigest, rawAll, rawExec } from '../support/db-snapshot';
import { FakeClock, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let clock: FakeClock;
const dbPath = () => `${t.dir}/desk-a.db`;

beforeEach(async () => {
  t = tempDir();
  clock = new FakeClock();
  s = await openStation(t.dir, { clock });
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('staff and PINs', () => {
  it('the first staff member must be a supervisor; later ones need a supervisor PIN', async () => {
    expect(await s.call('staff.add', { id: 'd', name: 'Desk', role: 'desk', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    must(await s.call('staff.add', { id: 'sup', name: 'Sup', role: 'supervisor', pin: '2468' }));
    expect(await s.call('staff.add', { id: 'd', name: 'Desk', role: 'desk', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    must(
      await s.call('staff.add', {
        id: 'd',
        name: 'Desk',
        role: 'desk',
        pin: '1111',
        by: { supervisorId: 'sup', pin: '2468' },
      }),
    );
    expect(
      await s.call('staff.add', {
        id: 'd',
        name: 'Dup',
        role: 'desk',
        pin: '1111',
        by: { supervisorId: 'sup', pin: '2468' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(
      await s.call('staff.add', {
        id: 'e',
        name: 'E',
        role: 'desk',
        pin: '1111',
        by: { supervisorId: 'd', pin: '1111' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('stores PINs as scrypt hashes, never in clear', async () => {
    must(await s.call('staff.add', { id: 'sup', name: 'Sup', role: 'supervisor', pin: '24682468' }));
    const [row] = rawAll<{ pin_hash: string }>(dbPath(), 'SELECT pin_hash FROM staff');
    expect(row!.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(row!.pin_hash).not.toContain('24682468');
    expect(must(await s.call('staff.verify', { staffId: 'sup', pin: '24682468' })).role).toBe('supervisor');
  });

  it(`locks out after ${MAX_PIN_ATTEMPTS} wrong PINs, even for the right PIN, until the lock expires`, async () => {
    must(await s.call('staff.add', { id: 'sup', name: 'Sup', role: 'supervisor', pin: '2468' }));
    for (let i = 1; i < MAX_PIN_ATTEMPTS; i++) {
      const r = await s.call('staff.verify', { staffId: 'sup', pin: '0000' });
      expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      if (!r.ok) expect(r.error.message).toContain(`${MAX_PIN_ATTEMPTS - i} attempt`);
    }
    expect(await s.call('staff.verify', { staffId: 'sup', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    expect(await s.call('staff.verify', { staffId: 'sup', pin: '2468' })).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    clock.advance(5 * 60_000 + 1);
    expect(must(await s.call('staff.verify', { staffId: 'sup', pin: '2468' })).lockedUntil).toBeNull();
    // A success resets the count.
    expect(await s.call('staff.verify', { staffId: 'sup', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', message: expect.stringContaining(`${MAX_PIN_ATTEMPTS - 1} attempts`) },
    });
    expect(rawAll(dbPath(), `SELECT * FROM audit_log WHERE action = 'staff.lockedOut'`)).toHaveLength(1);
  });

  it('unknown staff and wrong PIN look the same', async () => {
    must(await s.call('staff.add', { id: 'sup', name: 'Sup', role: 'supervisor', pin: '2468' }));
    const a = await s.call('staff.verify', { staffId: 'nobody', pin: '2468' });
    expect(a).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });
});

describe('audit log', () => {
  async function withHistory() {
    must(await s.call('conference.import', { data: smallConference() }));
    must(await s.call('staff.add', { id: 'sup', name: 'Sup', role: 'supervisor', pin: '2468' }));
    must(await s.call('checkin.record', { registrantId: 'r1' }));
    must(await s.call('registrant.registerWalkUp', { firstName: 'A', lastName: 'B', ticketTypeId: 'full' }));
    must(
      await s.call('sale.sell', {
        sessionId: 'workshop',
        registrantId: 'r2',
        override: { supervisorId: 'sup', pin: '2468' },
      }),
    );
    const v = must(await s.call('audit.verify', {}));
    expect(v).toEqual({
      ok: true,
      rows: 4,
      problem: null,
      firstBadSeq: null,
      integrity: { state: 'ok', problems: [], message: null },
    });
  }

  it('refuses UPDATE and DELETE through triggers', async () => {
    await withHistory();
    expect(() => rawExec(dbPath(), `UPDATE audit_log SET actor = 'x' WHERE seq = 1`)).toThrow(/append-only/);
    expect(() => rawExec(dbPath(), `DELETE FROM audit_log WHERE seq = 4`)).toThrow(/append-only/);
  });

  it.each([
    ['an edited row', [`UPDATE audit_log SET details_json = '{"sessions":99}' WHERE seq = 2`], 2, 'altered'],
    ['a deleted middle row', [`DELETE FROM audit_log WHERE seq = 3`], 3, 'missing'],
    ['a deleted last row', [`DELETE FROM audit_log WHERE seq = 4`], 4, 'should end at row 4'],
    [
      'a re-chained edit',
      [`UPDATE audit_log SET actor = 'mallory', hash = 'f' || substr(hash, 2) WHERE seq = 3`],
      3,
      'altered',
    ],
  ])('detects %s', async (_n, statements, badSeq, problem) => {
    await withHistory();
    await s.close();
    rawExec(dbPath(), 'DROP TRIGGER audit_log_no_update');
    rawExec(dbPath(), 'DROP TRIGGER audit_log_no_delete');
    for (const st of statements) rawExec(dbPath(), st);
    s = await openStation(t.dir, { clock });
    const v = must(await s.call('audit.verify', {}));
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(badSeq);
    expect(v.problem).toContain(problem);
  });

  it('verification itself writes nothing', async () => {
    await withHistory();
    const before = dbDigest(dbPath());
    must(await s.call('audit.verify', {}));
    expect(dbDigest(dbPath())).toBe(before);
  });
});
