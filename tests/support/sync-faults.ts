/**
 * Test support for the sync fault tests: child processes (a station, the emulator's CLI) that can be killed with
 * SIGKILL, and an HQ-side collector that records what reached the broker. Loopback only; every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceBusClient, type ServiceBusReceiver } from '@azure/service-bus';
import { bodyText } from '../../main/sync/service-bus';
import { fastRetry, lanyardTopology } from './bus';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child process whose stdout is JSON lines; `next(pred)` waits for the first line matching `pred`. */
export interface Child {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr(): string;
  next(
    pred: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
    what?: string,
  ): Promise<Record<string, unknown>>;
  exited: Promise<void>;
  /** Writes one line to the child's stdin (children started with `stdin: true`). */
  send(line: string): void;
}

export function spawnJsonChild(
  args: string[],
  env: Record<string, string> = {},
  opts: { stdin?: boolean } = {},
): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  proc.stdin?.on('error', () => {}); // writing to a child that was just killed
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString('utf8');
    let i: number;
    while ((i = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, i).trim();
      buffered = buffered.slice(i + 1);
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a torn line at the moment of the kill; ignored
      }
    }
    for (const w of [...waiters]) w();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => {
      resolve();
      for (const w of [...waiters]) w();
    });
  });
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    send(line) {
      proc.stdin?.write(line + '\n');
    },
    next(pred, timeoutMs = 20_000, what = 'a line') {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find(pred);
          if (hit) return done(() => resolve(hit));
          if (proc.exitCode !== null || proc.signalCode !== null) {
            return done(() =>
              reject(
                new Error(`the child exited (${proc.exitCode ?? proc.signalCode}) before ${what}: ${err.slice(-2000)}`),
              ),
            );
          }
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${err.slice(-2000)}`))),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** SIGKILL, and wait until the process is gone. */
export async function kill9(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const stationChildScript = here('./station-child.ts');
const emulatorCli = here('../../tools/servicebus-emulator/cli.ts');

/** The emulator's CLI in durable mode, as a child process that can be SIGKILLed and restarted on the same port. */
export async function startEmulatorProcess(opts: {
  dir: string;
  stations: string[];
  port?: number;
}): Promise<{ child: Child; port: number; connectionString: string }> {
  const configPath = join(opts.dir, 'Config.json');
  writeFileSync(configPath, JSON.stringify(lanyardTopology(opts.stations)));
  const child = spawnJsonChild([
    emulatorCli,
    '--quiet',
    '--config',
    configPath,
    '--port',
    String(opts.port ?? 0),
    '--data',
    join(opts.dir, 'data'),
  ]);
  const info = (await child.next((l) => l.listening === true, 20_000, 'the emulator to listen')) as {
    port: number;
    connectionString: string;
  };
  return { child, port: info.port, connectionString: info.connectionString };
}

/**
 * HQ's side of station-events, recorded: every delivery with the broker's sequence number. A station re-send
 * that duplicate detection dropped never gets a sequence number, so "each envelope id has exactly one sequence
 * number" means HQ saw it exactly once (a redelivery of the same broker message is not a second copy).
 */
export class HqRecorder {
  readonly client: ServiceBusClient;
  private receiver: ServiceBusReceiver;
  /** envelope id → broker sequence numbers seen */
  readonly copies = new Map<string, Set<string>>();
  /** per origin: envelope seqs in the order first seen */
  readonly order = new Map<string, number[]>();
  private sub: { close(): Promise<void> } | null = null;
  errors = 0;

  /** Called once per new envelope (e.g. to answer a SeatSold with a verdict). */
  onEnvelope:
    | ((env: {
        id: string;
        type: string;
        origin: string;
        seq: number;
        payload: Record<string, unknown>;
      }) => Promise<void> | void)
    | null = null;

  constructor(connectionString: string) {
    this.client = new ServiceBusClient(connectionString, fastRetry);
    this.receiver = this.client.createReceiver('station-events', 'hq');
  }

  private async record(m: { body: unknown; sequenceNumber?: { toString(): string } }): Promise<void> {
    const env = JSON.parse(bodyText(m.body) ?? 'null') as {
      id: string;
      type: string;
      origin: string;
      seq: number;
      payload: Record<string, unknown>;
    };
    const seqNo = m.sequenceNumber?.toString() ?? '?';
    const seen = this.copies.get(env.id);
    if (seen) {
      seen.add(seqNo);
      return;
    }
    this.copies.set(env.id, new Set([seqNo]));
    const list = this.order.get(env.origin) ?? [];
    list.push(env.seq);
    this.order.set(env.origin, list);
    await this.onEnvelope?.(env);
  }

  /**
   * Keeps receiving in the background (peek-lock, completed after recording). A streaming subscribe rather than
   * receiveMessages loops: HQ itself runs this way, and it does not leave messages locked between calls.
   */
  start(): void {
    this.sub = this.receiver.subscribe(
      {
        processMessage: async (m) => this.record(m),
        processError: async () => {
          this.errors++;
        },
      },
      { autoCompleteMessages: true, maxConcurrentCalls: 1 },
    );
  }

  /** Ids seen with more than one broker copy (should be none). */
  duplicates(): string[] {
    return [...this.copies].filter(([, s]) => s.size > 1).map(([id]) => id);
  }

  async close(): Promise<void> {
    await this.sub?.close().catch(() => {});
    await this.receiver.close().catch(() => {});
    await this.client.close().catch(() => {});
  }
}

/** True if the numbers are strictly increasing. */
export function strictlyIncreasing(xs: number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! <= xs[i - 1]!) return false;
  return true;
}
