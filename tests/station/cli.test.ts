import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../core/calendar';
import { runCli } from '../../main/station/cli';
import { hq, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const code = await runCli(['--db', `${t.dir}/s.db`, ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: (l) => progress.push(l),
  });
  const text = out.join('\n');
  return {
    code,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json: text ? (JSON.parse(text) as any) : undefined,
    err: err.join('\n'),
    errLines: err,
    progress: progress.join('\n'),
  };
}

describe('station command line', () => {
  it('works on the demo conference: import, search, preview, sell, status', async () => {
    // Moved to tomorrow by the clock this test runs under, so every session is still ahead.
    const tomorrow = addDays(new Date().toISOString().slice(0, 10), 1);
    // The operator acts as a member of staff; a fresh station's first one is a supervisor, added without a PIN.
    expect((await cli('staff-add', '--id', 'sam', '--name', 'Sam', '--role', 'supervisor', '--pin', '2468')).code).toBe(
      0,
    );
    const asSam = ['--staff', 'sam'];
    const noPin = await cli(...asSam, 'import', 'assets/demo-conference.json');
    expect(noPin.code).toBe(1);
    expect(noPin.err).toContain('Only a supervisor may do conference.import');
    const imp = await cli(...asSam, '--pin', '2468', 'import', 'assets/demo-conference.json', '--shift-to', tomorrow);
    expect(imp.code).toBe(0);
    expect(imp.json).toMatchObject({ conferenceId: 'ldc26', startsOn: tomorrow, registrants: { inserted: 2000 } });
    expect(imp.progress).toContain('conference.import: done 2000/2000');
    expect(imp.err).toBe('');

    const found = await cli('search', 'jose nunez', '--limit', '3');
    expect(found.code).toBe(0);
    const jose = found.json.find((r: { lastName: string }) => r.lastName === 'Ñúñez');
    expect(jose).toMatchObject({ firstName: 'José', lastName: 'Ñúñez' });

    const preview = await cli('preview', '--session', 's-d1-talk-qr-codes');
    expect(preview.code).toBe(0);
    expect(preview.json.failed.map((f: { code: string }) => f.code)).toEqual(['staleness_unknown']);

    // Selling needs someone from staff.
    const nobody = await cli('sell', '--session', 's-d1-talk-qr-codes', '--registrant', jose.id);
    expect(nobody.code).toBe(1);
    expect(nobody.json.error.code).toBe('unauthorized');
    const ghost = await cli('--staff', 'ghost', 'sell', '--session', 's-d1-talk-qr-codes', '--registrant', jose.id);
    expect(ghost.err).toContain('No staff member "ghost"');

    // Not heard from HQ: refused with the reason, exit 1.
    const refused = await cli(...asSam, 'sell', '--session', 's-d1-talk-qr-codes', '--registrant', jose.id);
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe('refused');
    expect(refused.err).toContain('has not heard from HQ yet');

    writeFileSync(
      `${t.dir}/hb.json`,
      JSON.stringify([
        hq('Heartbeat', { hqTime: new Date().toISOString() }, { conferenceId: 'ldc26', at: new Date().toISOString() }),
      ]),
    );
    expect((await cli('apply', `${t.dir}/hb.json`)).code).toBe(0);
    const sold = await cli(...asSam, 'sell', '--session', 's-d1-talk-qr-codes', '--registrant', jose.id);
    expect(sold.code).toBe(0);
    expect(sold.json).toMatchObject({ outcome: 'proceed', sale: { tier: 'overdraft' } });

    const status = await cli('status');
    expect(status.json).toMatchObject({
      stationId: 'desk-1',
      counts: { registrants: 2000, sales: 1 },
      outbox: { depth: 1 },
    });
    const sale = await cli('status');
    expect(sale.code).toBe(0);
  });

  it.each([
    [['frobnicate'], 2, 'unknown command'],
    [[], 2, 'no command'],
    [['search'], 2, 'search takes TEXT'],
    [['sell', '--session'], 2, 'argument missing'],
    [['sell', '--session', 's1', '--bogus', 'x'], 2, "Unknown option '--bogus'"],
    [['import', '/nonexistent.json'], 2, 'cannot read /nonexistent.json'],
    [['search', 'x', '--limit', 'ten'], 2, '--limit must be a whole number from 1 to 200, got "ten"'],
    [['search', 'x', '--limit', '0'], 2, '--limit must be a whole number from 1 to 200, got "0"'],
    [
      ['import', 'assets/demo-conference.json', '--shift-to', 'next-week'],
      2,
      '--shift-to takes a date (YYYY-MM-DD) or "today"',
    ],
    [
      ['--staff', 'x', '--pin', '2468', 'import', 'assets/demo-conference.json', '--shift-to', '2026-02-30'],
      1,
      'Unknown staff member or wrong PIN',
    ],
    [['--pin', '2468', 'status'], 2, '--pin goes with --staff ID'],
    [['registrant', 'ghost'], 1, 'No registrant with id "ghost"'],
  ])('%j → exit %i with a readable message', async (args, code, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
    expect(r.errLines).toHaveLength(1);
  });

  it("the supervisor console's board and a new PIN from the command line", async () => {
    expect((await cli('staff-add', '--id', 'sam', '--name', 'Sam', '--role', 'supervisor', '--pin', '2468')).code).toBe(
      0,
    );
    expect(
      (
        await cli(
          '--staff',
          'sam',
          'staff-add',
          '--id',
          'dee',
          '--name',
          'Dee',
          '--role',
          'desk',
          '--pin',
          '1111',
          '--supervisor',
          'sam',
          '--supervisor-pin',
          '2468',
        )
      ).code,
    ).toBe(0);
    const tomorrow = addDays(new Date().toISOString().slice(0, 10), 1);
    expect(
      (await cli('--staff', 'sam', '--pin', '2468', 'import', 'assets/demo-conference.json', '--shift-to', tomorrow))
        .code,
    ).toBe(0);
    const board = await cli('--staff', 'sam', 'board');
    expect(board.code).toBe(0);
    expect(board.json.sessions.length).toBeGreaterThan(10);
    expect(board.json.sessions[0]).toMatchObject({
      phase: 'upcoming',
      sold: expect.any(Number),
      free: expect.any(Number),
    });
    const wrong = await cli(
      '--staff',
      'sam',
      '--pin',
      '2468',
      'set-pin',
      '--id',
      'dee',
      '--new-pin',
      '12',
      '--supervisor',
      'sam',
      '--supervisor-pin',
      '2468',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('a PIN is 4 to 12 digits');
    expect(wrong.json.error.code).toBe('invalid_input');
    const ok = await cli(
      '--staff',
      'sam',
      '--pin',
      '2468',
      'set-pin',
      '--id',
      'dee',
      '--new-pin',
      '4321',
      '--supervisor',
      'sam',
      '--supervisor-pin',
      '2468',
    );
    expect(ok.code).toBe(0);
    expect(ok.json).toEqual({ id: 'dee', name: 'Dee', role: 'desk', lockedUntil: null });
    expect((await cli('--staff', 'dee', '--pin', '4321', 'board')).code).toBe(0);
  });

  it('rejects a file that is not JSON', async () => {
    writeFileSync(`${t.dir}/bad.json`, '{ not json');
    const r = await cli('import', `${t.dir}/bad.json`);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not valid JSON');
    expect(r.json.error.code).toBe('invalid_input');
  });

  it('runs as a real process through npm run -s station', () => {
    const ok = spawnSync('npm', ['run', '-s', 'station', '--', '--db', `${t.dir}/p.db`, 'status'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ stationId: 'desk-1', conference: null });
    const bad = spawnSync('npm', ['run', '-s', 'station', '--', '--db', `${t.dir}/p.db`, 'preview', '--session', 'x'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('No conference is loaded');
  });
});
