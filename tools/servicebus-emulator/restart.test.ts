/**
 * Durability and reconnection: the emulator runs as a child process (the real CLI) and is killed with SIGKILL
 * while an SDK subscribe() is live, then restarted on the same port and data directory. Nothing acknowledged
 * may be lost, and the subscriber must carry on by itself. The in-memory variant checks the reconnect alone.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceBusClient } from '@azure/service-bus';
import { eventually, namespace, sleep, tempDir } from './test-support';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface Child {
  proc: ChildProcess;
  port: number;
  connectionString: string;
}

function startChild(args: string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', cli, '--quiet', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`emulator did not start in time: ${err}`));
    }, 20_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        const info = JSON.parse(line) as { port: number; connectionString: string };
        resolve({ proc, port: info.port, connectionString: info.connectionString });
      }
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}: ${err}`));
    });
  });
}

function kill9(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGKILL');
  });
}

const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await kill9(c);
});

describe.each(['durable', 'memory'] as const)('broker killed and restarted under a live subscribe() (%s)', (mode) => {
  it('reconnects the subscriber and keeps every acknowledged message', async () => {
    const dir = tempDir();
    try {
      const configPath = join(dir.path, 'Config.json');
      writeFileSync(
        configPath,
        JSON.stringify(
          namespace({ Queues: [{ Name: 'orders', Properties: { LockDuration: 'PT1S' } }, { Name: 'archive' }] }),
        ),
      );
      const data = mode === 'durable' ? ['--data', join(dir.path, 'data')] : [];
      const first = await startChild(['--config', configPath, '--port', '0', ...data]);
      children.push(first);
      const client = new ServiceBusClient(first.connectionString, {
        retryOptions: { maxRetries: 100, retryDelayInMs: 200, maxRetryDelayInMs: 500, timeoutInMs: 3_000 },
      });
      const seen = new Set<string>();
      const errors: string[] = [];
      const receiver = client.createReceiver('orders');
      const sub = receiver.subscribe(
        {
          processMessage: async (m) => {
            seen.add(String(m.body));
          },
          processError: async (e) => {
            errors.push(e.error.message);
          },
        },
        { maxConcurrentCalls: 5 },
      );
      const sender = client.createSender('orders');
      await sender.sendMessages([1, 2, 3, 4, 5].map((i) => ({ body: `before-${i}` })));
      await eventually('the first five messages', () => (seen.size >= 5 ? true : undefined));

      const archive = client.createSender('archive');
      const batch = await archive.createMessageBatch();
      for (let i = 0; i < 20; i++) batch.tryAddMessage({ body: `kept-${i}` });
      await archive.sendMessages(batch);
      await archive.sendMessages({ body: 'kept-single' });
      // Acknowledged: now pull the plug.
      await kill9(first);

      const second = await startChild(['--config', configPath, '--port', String(first.port), ...data]);
      children.push(second);
      // sendMessages is not retried across an outage by the SDK: retry the first call after the restart.
      for (let attempt = 0; ; attempt++) {
        try {
          await sender.sendMessages([1, 2, 3, 4, 5].map((i) => ({ body: `after-${i}` })));
          break;
        } catch (e) {
          if (attempt > 30) throw e;
          await sleep(200);
        }
      }
      await eventually(
        'the subscriber to receive after the restart',
        () => (seen.size >= 10 ? true : undefined),
        20_000,
      );
      expect([...seen].sort()).toEqual(
        [...[1, 2, 3, 4, 5].map((i) => `after-${i}`), ...[1, 2, 3, 4, 5].map((i) => `before-${i}`)].sort(),
      );

      const reader = client.createReceiver('archive', { receiveMode: 'receiveAndDelete' });
      const kept: string[] = [];
      for (let i = 0; i < 10 && kept.length < 21; i++) {
        kept.push(...(await reader.receiveMessages(50, { maxWaitTimeInMs: 500 })).map((m) => String(m.body)));
      }
      if (mode === 'durable') {
        expect(kept.sort()).toEqual([...Array.from({ length: 20 }, (_, i) => `kept-${i}`), 'kept-single'].sort());
      } else {
        expect(kept).toEqual([]); // in memory: a restart starts empty
      }
      await sub.close();
      await client.close();
    } finally {
      dir.remove();
    }
  }, 60_000);
});

describe('cli', () => {
  it('rejects bad arguments and bad config files with a readable message and a non-zero exit', async () => {
    const run = (args: string[]): Promise<{ code: number | null; stderr: string }> =>
      new Promise((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('exit', (code) => resolve({ code, stderr }));
      });
    const dir = tempDir();
    try {
      const bad = join(dir.path, 'bad.json');
      writeFileSync(bad, JSON.stringify(namespace({ Queues: [{ Name: 'q', Properties: { LockDuration: 'PT10M' } }] })));
      const [noConfig, badPort, badFile] = await Promise.all([
        run(['--port', '1']),
        run(['--config', bad, '--port', 'abc']),
        run(['--config', bad, '--port', '0']),
      ]);
      expect(noConfig.code).toBe(2);
      expect(noConfig.stderr).toMatch(/--config is required/);
      expect(badPort.code).toBe(2);
      expect(badPort.stderr).toMatch(/--port/);
      expect(badFile.code).toBe(2);
      expect(badFile.stderr).toMatch(/UserConfig\.Namespaces\[0\]\.Queues\[0\]\.Properties\.LockDuration/);
    } finally {
      dir.remove();
    }
  }, 30_000);
});
