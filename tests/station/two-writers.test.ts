/**
 * Two writers on one station database: another process committing every few ms must not make a sale fail (write
 * transactions start IMMEDIATE and wait out the busy timeout), and a lock held beyond the timeout gives a typed
 * `busy` error that says to retry and writes nothing. The other writer is a real process (tests/support).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
let t: ReturnType<typeof tempDir>;
let s: Station;
const children: ChildProcess[] = [];
const dbPath = () => `${t.dir}/desk-a.db`;

/** Starts the writer child and resolves once it holds or has used the lock. */
function writer(mode: 'noise' | 'hold', ms: number): Promise<{ done: Promise<{ commits: number }> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/db-writer-child.ts', '--db', dbPath(), '--mode', mode, '--ms', String(ms)],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  let onDone: (v: { commits: number }) => void = () => {};
  const done = new Promise<{ commits: number }>((r) => (onDone = r));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => code !== 0 && reject(new Error(`writer exited ${code}`)));
    lines.on('line', (l) => {
      const ev = JSON.parse(l) as { ev: string; commits?: number };
      if (ev.ev === 'ready') resolve({ done });
      if (ev.ev === 'done') onDone({ commits: ev.commits! });
    });
  });
}

/** A session with room for everyone and 200 registrants. */
function crowd(n: number): ConferenceFile {
  const c = smallConference();
  c.sessions[1]!.capacity = 1000;
  c.registrants = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    confirmationCode: `P-${i}`,
    firstName: 'Person',
    lastName: `${i}`,
    email: '',
    company: '',
    ticketTypeId: 'full',
    sessions: [],
  }));
  return c;
}

beforeEach(() => {
  t = tempDir();
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await s?.close();
  t.cleanup();
});

describe('two writers on one database', () => {
  it('200 sales succeed while another process commits every few ms', async () => {
    s = await openStation(t.dir, { clock: new FakeClock() });
    must(await s.call('conference.import', { data: crowd(200) }));
    must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: dayAt('08:45') }) }));
    must(
      await s.call('feed.apply', {
        envelope: hq('AllotmentGranted', {
          allotmentId: 'a1',
          requestId: null,
          station: 'station:desk-a',
          sessionId: 'workshop',
          seats: 200,
        }),
      }),
    );
    await writer('noise', 60_000);
    const noise = () =>
      Number(rawAll<{ value: string }>(dbPath(), `SELECT value FROM settings WHERE key = 'test.noise'`)[0]!.value);
    const commitsBefore = noise();
    const failures: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await s.call('sale.sell', { sessionId: 'workshop', registrantId: `p${i}` });
      if (!r.ok) failures.push(`${r.error.code}: ${r.error.message}`);
      else expect(r.value.sale?.tier).toBe('allotment');
      await new Promise((r) => setTimeout(r, 2)); // a busy desk, not a tight loop: the other writer gets its turns
    }
    // The other writer really was committing in between.
    expect(noise() - commitsBefore).toBeGreaterThan(50);
    children[0]!.kill('SIGTERM');
    expect(failures).toEqual([]);
    expect(must(await s.call('station.status', {})).counts.sales).toBe(200);
  });

  it('a lock held beyond the busy timeout: a typed busy error that says to retry, and nothing written', async () => {
    s = await openStation(t.dir, { clock: new FakeClock(), busyTimeoutMs: 300 });
    must(await s.call('conference.import', { data: smallConference() }));
    must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: dayAt('08:45') }) }));
    const before = dbDigest(dbPath());
    const w = await writer('hold', 1500);
    const started = Date.now();
    const r = await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(r).toMatchObject({ ok: false, error: { code: 'busy' } });
    if (!r.ok) expect(r.error.message).toMatch(/try again/i);
    await w.done;
    expect(dbDigest(dbPath())).toBe(before);
    // Once the other writer let go, the same sale goes through.
    expect(must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' })).outcome).toBe('proceed');
  });
});
