/** `npm run -s hq -- --config FILE`: the headless service as a process; bad configuration exits 2 naming the field. */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startBus, waitFor } from '../support/bus';
import { smallConference, tempDir } from '../support/fixtures';
import { busClient, rawStation, saleBasis } from './support';

const root = fileURLToPath(new URL('../../', import.meta.url));
let t: ReturnType<typeof tempDir>;

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const io = { out: '', err: '' };
  child.stdout.on('data', (d: Buffer) => (io.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (io.err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, io, exit };
}

/** A config file (and the conference it names); `bom` writes both with a UTF-8 byte order mark, as Notepad does. */
function config(over: Record<string, unknown>, bom = false): string {
  const file = join(t.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  const mark = bom ? '\ufeff' : '';
  writeFileSync(join(t.dir, 'conference.json'), mark + JSON.stringify(smallConference()));
  writeFileSync(
    file,
    mark +
      JSON.stringify({
        connectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=top-secret-key',
        dbPath: 'hq.db',
        conferenceFile: 'conference.json',
        ...over,
      }),
  );
  return file;
}

beforeEach(() => {
  t = tempDir('lanyard-hq-cli-');
});
afterEach(() => t.cleanup());

describe('hq command line', () => {
  it('exits 2 with a readable message for a missing --config, an unknown argument or an invalid field', async () => {
    // In parallel: each is a process start.
    const none = run([]);
    const unknown = run(['--config', config({}), '--fast']);
    const bad = run(['--config', config({ heartbeatSeconds: -1 })]);
    const endpoint = run([
      '--config',
      config({ connectionString: 'Endpoint=http://x/;SharedAccessKeyName=k;SharedAccessKey=top-secret-key' }),
    ]);
    const extra = run(['--config', config({ allotmentShares: 0.5 })]);
    expect(await Promise.all([none.exit, unknown.exit, bad.exit, endpoint.exit, extra.exit])).toEqual([2, 2, 2, 2, 2]);
    expect(none.io.err).toContain('--config FILE is required');
    expect(unknown.io.err).toContain('unknown argument "--fast"');
    expect(bad.io.err).toMatch(/invalid HQ configuration: heartbeatSeconds: /);
    expect(endpoint.io.err).toContain('connectionString: needs Endpoint=sb://');
    expect(endpoint.io.err + endpoint.io.out).not.toContain('top-secret-key');
    expect(extra.io.err).toContain('allotmentShares');
    for (const r of [none, unknown, bad, endpoint, extra]) expect(r.io.err.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming dbPath or conferenceFile when they cannot be used; a UTF-8 BOM in the files is fine', async () => {
    mkdirSync(join(t.dir, 'a-folder'));
    const folder = run(['--config', config({ dbPath: 'a-folder' })]);
    const bomFolder = run(['--config', config({ dbPath: 'a-folder' }, true)]);
    const noConference = run(['--config', config({ conferenceFile: 'missing.json' })]);
    expect(await Promise.all([folder.exit, bomFolder.exit, noConference.exit])).toEqual([2, 2, 2]);
    for (const r of [folder, bomFolder]) {
      expect(r.io.err.trim().split('\n')).toHaveLength(1);
      expect(r.io.err).toContain(`invalid HQ configuration: dbPath: ${join(t.dir, 'a-folder')} is a folder`);
    }
    expect(noConference.io.err).toContain('invalid HQ configuration: conferenceFile: cannot read');
  });

  it('with its broker unreachable, logs the first failure, not a line per retry', async () => {
    const hq = run([
      '--config',
      config(
        {
          connectionString:
            'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=top-secret-key;UseDevelopmentEmulator=true',
        },
        true,
      ),
    ]);
    await waitFor(() => hq.io.out.includes('cannot reach the broker'), 20_000, 'the first failure');
    await new Promise((r) => setTimeout(r, 4000));
    hq.child.kill('SIGTERM');
    expect(await hq.exit).toBe(0);
    const lines = hq.io.out
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\S+ /, ''));
    expect(
      lines.filter((l) => !l.startsWith('ledger seeded') && !l.startsWith('HQ listening') && !l.startsWith('SIGTERM')),
    ).toEqual([
      expect.stringMatching(
        /^cannot reach the broker at sb:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*; retrying with backoff \(at most every 30 s\), a summary every 60 s$/,
      ),
    ]);
    expect(hq.io.err).toBe('');
  });

  it('runs against the bus, decides a sale, never logs the key, and stops cleanly on SIGTERM', async () => {
    const bus: RunningEmulator = await startBus(['desk-a']);
    const client = busClient(bus.connectionString);
    try {
      const hq = run(['--config', config({ connectionString: bus.connectionString, heartbeatSeconds: 0.5 })]);
      await waitFor(() => hq.io.out.includes('HQ listening'), 20_000, 'HQ listening');
      const a = rawStation(client, 'desk-a', 'conf-1');
      await a.send(
        a.event('SeatSold', {
          saleId: 'sale-1',
          sessionId: 'panel',
          registrantId: 'r2',
          tier: 'online',
          allotmentId: null,
          basis: saleBasis(),
        }),
      );
      await waitFor(
        () => hq.io.out.includes('CONFIRMED sale sale-1 panel from station:desk-a'),
        10_000,
        'the verdict in the log',
      );
      expect(hq.io.out).toContain('SharedAccessKey=***');
      expect(hq.io.out).not.toMatch(/SharedAccessKey=(?!\*\*\*)/);
      hq.child.kill('SIGTERM');
      expect(await hq.exit).toBe(0);
      expect(hq.io.out).toContain('SIGTERM: stopping');
    } finally {
      await client.close();
      await bus.stop();
    }
  });
});
