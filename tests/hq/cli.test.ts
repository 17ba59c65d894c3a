/** `npm run -s hq -- --config FILE`: the headless service as a process; bad configuration exits 2 naming the field. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startBus, waitFor } from '../support/bus';
import { smallConference, tempDir } from '../support/fixtures';
import { busClient, rawStation } from './support';

const root = fileURLToPath(new URL('../../', import.meta.url));
let t: ReturnType<typeof tempDir>;

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const io = { out: '', err: '' };
  child.stdout.on('data', (d: Buffer) => (io.out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (io.err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, io, exit };
}

function config(over: Record<string, unknown>): string {
  const file = join(t.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(smallConference()));
  writeFileSync(file, JSON.stringify({ connectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=top-secret-key', dbPath: 'hq.db', conferenceFile: 'conference.json', ...over }));
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
    const endpoint = run(['--config', config({ connectionString: 'Endpoint=http://x/;SharedAccessKeyName=k;SharedAccessKey=top-secret-key' })]);
    const extra = run(['--config', config({ allotmentShares: 0.5 })]);
    expect(await Promise.all([none.exit, unknown.exit, bad.exit, endpoint.exit, extra.exit])).toEqual([2, 2, 2, 2, 2]);
    expect(none.io.err).toContain('--config FILE is required');
    expect(unknown.io.err).toContain('unknown argument "--fast"');
    expect(bad.io.err).toMatch(/invalid HQ configuration: heartbeatSeconds: /);
    expect(endpoint.io.err).toContain('connectionString: needs Endpoint=sb://');
    expect(endpoint.io.err + endpoint.io.out).not.toContain('top-secret-key');
    expect(extra.io.err).toContain('allotmentShares');
  });

  it('runs against the bus, decides a sale, never logs the key, and stops cleanly on SIGTERM', async () => {
    const bus: RunningEmulator = await startBus(['desk-a']);
    const client = busClient(bus.connectionString);
    try {
      const hq = run(['--config', config({ connectionString: bus.connectionString, heartbeatSeconds: 0.5 })]);
      await waitFor(() => hq.io.out.includes('HQ listening'), 20_000, 'HQ listening');
      const a = rawStation(client, 'desk-a', 'conf-1');
      await a.send(a.event('SeatSold', {
        saleId: 'sale-1', sessionId: 'panel', registrantId: 'r2', tier: 'online', allotmentId: null,
        basis: { online: true, allotmentRemaining: 0, stalenessMin: 0, stalenessUnknownReason: null, maxStalenessMin: 60, capacity: 10, sold: 1, allotted: 0, unallocated: 9, remainingRatio: 0.9, minRemainingRatio: 0.1, salesRatePerMin: 0, alpha: 0.05, z: 1.64, expectedSalesSinceSync: 0, kMax: 2, pendingOverdraft: 0, overdraftCap: 2, failed: [] },
      }));
      await waitFor(() => hq.io.out.includes('CONFIRMED sale sale-1 panel from station:desk-a'), 10_000, 'the verdict in the log');
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
