/**
 * One emulator per --data folder, with real processes: a second emulator refuses the folder (exit 1, one line naming
 * the owner's pid) and leaves the journal alone; after the owner is killed -9 its stale lock is taken over with a log
 * line, and what the first emulator acknowledged is still there. Also: a Config.json with a UTF-8 BOM is accepted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkClient, tempDir } from './test-support';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const config = fileURLToPath(new URL('./lanyard.config.json', import.meta.url));
const running: ChildProcess[] = [];

interface Run {
  proc: ChildProcess;
  err: () => string;
  /** The connection string once listening, or the exit code if it exited first. */
  started: Promise<{ connectionString: string } | { exit: number | null }>;
}

function emulator(args: string[]): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const started = new Promise<{ connectionString: string } | { exit: number | null }>((resolve) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { connectionString: string });
    });
    proc.on('exit', (code) => resolve({ exit: code }));
  });
  return { proc, err: () => err, started };
}

function kill9(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

afterEach(async () => {
  for (const p of running.splice(0)) await kill9(p);
});

describe('emulator data folder lock', () => {
  it('a second emulator refuses the folder; a stale lock is taken over; nothing acknowledged is lost', async () => {
    const dir = tempDir();
    try {
      const first = emulator(['--config', config, '--data', dir.path]);
      const a = await first.started;
      if (!('connectionString' in a)) throw new Error(`first emulator exited ${a.exit}: ${first.err()}`);
      const client = sdkClient(a.connectionString);
      const sender = client.createSender('station-events');
      await sender.sendMessages({ body: 'acknowledged', messageId: 'm-1' });
      await client.close();

      const second = emulator(['--config', config, '--data', dir.path]);
      expect(await second.started).toEqual({ exit: 1 });
      const lines = second.err().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`the data folder ${dir.path} is in use by another emulator (pid ${first.proc.pid})`);
      expect(readFileSync(join(dir.path, 'emulator.lock'), 'utf8').trim()).toBe(String(first.proc.pid));

      await kill9(first.proc);
      const third = emulator(['--config', config, '--data', dir.path]);
      const c = await third.started;
      if (!('connectionString' in c)) throw new Error(`third emulator exited ${c.exit}: ${third.err()}`);
      expect(third.err()).toContain(
        `taking over the data folder ${dir.path}: the emulator that locked it (pid ${first.proc.pid}) is not running`,
      );
      const again = sdkClient(c.connectionString);
      const receiver = again.createReceiver('station-events', 'hq', { receiveMode: 'receiveAndDelete' });
      const got = await receiver.receiveMessages(5, { maxWaitTimeInMs: 3000 });
      expect(got.map((m) => m.messageId)).toEqual(['m-1']);
      await again.close();
    } finally {
      dir.remove();
    }
  });

  it('accepts a Config.json that starts with a UTF-8 byte order mark (Windows editors write one)', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'Config.json');
      writeFileSync(file, '\ufeff' + readFileSync(config, 'utf8'));
      const run = emulator(['--config', file, '--quiet']);
      expect(await run.started).toMatchObject({
        connectionString: expect.stringContaining('Endpoint=sb://127.0.0.1:'),
      });
    } finally {
      dir.remove();
    }
  });
});
