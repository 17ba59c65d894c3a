/** The queue's rules with an in-memory store and scripted transports (the SQLite store is tested end to end). */
import { describe, expect, it } from 'vitest';
import type { PrinterConfig } from '../../core/badge/printer';
import { PrintQueue, type JobStore, type PrintJobState } from './queue';
import { status, type PrinterStatus } from './status';
import type { PrinterTransport, SendResult } from './transport';

class MemoryStore implements JobStore {
  jobs: { id: string; printer: string; bytes: Uint8Array; state: PrintJobState; words: string | null }[] = [];
  statuses: [string, PrinterStatus][] = [];
  add(id: string, printer: string, state: PrintJobState = 'queued') {
    this.jobs.push({ id, printer, bytes: Buffer.from(id), state, words: null });
  }
  state = (id: string) => this.jobs.find((j) => j.id === id)?.state;
  async recover() {
    let uncertain = 0;
    for (const j of this.jobs) {
      if (j.state !== 'sending') continue;
      j.state = 'uncertain';
      uncertain++;
    }
    return { uncertain, expired: 0 };
  }
  async printersWithQueued() {
    return [...new Set(this.jobs.filter((j) => j.state === 'queued').map((j) => j.printer))];
  }
  async nextQueued(uri: string) {
    const j = this.jobs.find((x) => x.printer === uri && x.state === 'queued');
    return j ? { id: j.id, bytes: j.bytes } : null;
  }
  async markSending(id: string) {
    const j = this.jobs.find((x) => x.id === id);
    if (j?.state !== 'queued') return false;
    j.state = 'sending';
    return true;
  }
  async finish(id: string, _uri: string, r: SendResult) {
    const j = this.jobs.find((x) => x.id === id)!;
    if (j.state === 'queued' || j.state === 'sending') Object.assign(j, { state: r.outcome, words: r.words });
  }
  async jobState(id: string) {
    return this.state(id) ?? null;
  }
  async recordStatus(uri: string, s: PrinterStatus) {
    this.statuses.push([uri, s]);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function scripted(
  outcomes: Record<string, SendResult['outcome']>,
  log: { sent: string[]; active: Map<string, number>; maxActive: Map<string, number> },
  delayMs = 5,
) {
  return (printer: PrinterConfig): PrinterTransport => ({
    description: printer.uri,
    status: async () => status('ready'),
    async send(job, begin) {
      const id = Buffer.from(job).toString();
      if (outcomes[id] === 'failed')
        return { outcome: 'failed', words: 'paper out; nothing was sent', before: status('paper_out'), after: null };
      if (!(await begin())) return { outcome: 'failed', words: 'cancelled', before: null, after: null };
      const n = (log.active.get(printer.uri) ?? 0) + 1;
      log.active.set(printer.uri, n);
      log.maxActive.set(printer.uri, Math.max(n, log.maxActive.get(printer.uri) ?? 0));
      log.sent.push(id);
      await sleep(delayMs);
      log.active.set(printer.uri, n - 1);
      return { outcome: outcomes[id] ?? 'printed', words: outcomes[id] ?? 'printed', before: null, after: null };
    },
  });
}

const A = 'tcp://127.0.0.1:9101';
const B = 'tcp://127.0.0.1:9102';

describe('PrintQueue', () => {
  it('one job at a time per printer, printers in parallel, in order, each sent once', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    const q = new PrintQueue(store, scripted({}, log));
    for (let i = 0; i < 10; i++) {
      store.add(`a${i}`, A);
      store.add(`b${i}`, B);
    }
    q.kick(A);
    q.kick(B);
    q.kick(A); // a kick while running is absorbed
    await q.idle();
    expect(log.maxActive.get(A)).toBe(1);
    expect(log.maxActive.get(B)).toBe(1);
    expect(log.sent.filter((s) => s.startsWith('a'))).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(new Set(log.sent).size).toBe(20);
    expect(store.jobs.every((j) => j.state === 'printed')).toBe(true);
    q.dispose();
  });

  it('never retries: failed and uncertain jobs stay as they are, the next job goes on', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    const q = new PrintQueue(store, scripted({ j1: 'uncertain', j2: 'failed' }, log));
    for (const id of ['j1', 'j2', 'j3']) store.add(id, A);
    q.kick(A);
    await q.idle();
    q.kick(A);
    await q.idle();
    expect(store.jobs.map((j) => j.state)).toEqual(['uncertain', 'failed', 'printed']);
    expect(log.sent).toEqual(['j1', 'j3']);
    q.dispose();
  });

  it('a job that is no longer queued when sending would begin is not sent', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    const inner = scripted({}, log);
    const q = new PrintQueue(store, (p) => ({
      ...inner(p),
      send: (job, begin) => inner(p).send(job, async () => ((store.jobs[0]!.state = 'failed'), begin())),
    }));
    store.add('j1', A);
    q.kick(A);
    await q.idle();
    expect(log.sent).toEqual([]);
    expect(store.state('j1')).toBe('failed');
  });

  it('resume() turns jobs left "sending" into "uncertain" and restarts queued ones', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    store.add('crashed', A, 'sending');
    store.add('waiting', A);
    const q = new PrintQueue(store, scripted({}, log));
    await q.resume();
    await q.idle();
    expect(store.state('crashed')).toBe('uncertain');
    expect(store.state('waiting')).toBe('printed');
    expect(log.sent).toEqual(['waiting']);
  });

  it('a job for an unusable printer URI fails with the reason', async () => {
    const store = new MemoryStore();
    store.add('j1', 'lpt1:');
    const q = new PrintQueue(store, () => {
      throw new Error('no transport should be made');
    });
    q.kick('lpt1:');
    await q.idle();
    expect(store.jobs[0]).toMatchObject({ state: 'failed', words: expect.stringContaining('bad printer') });
  });

  it('waitFor resolves with the final state, or the current one when time is up', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    const q = new PrintQueue(store, scripted({}, log, 50));
    store.add('j1', A);
    store.add('j2', A);
    q.kick(A);
    expect(await q.waitFor('j2', 10)).toBe('queued');
    expect(await q.waitFor('j2', 2000)).toBe('printed');
    expect(await q.waitFor('j1', 10)).toBe('printed');
    expect(await q.waitFor('nope', 10)).toBeNull();
  });

  it('health polling checks idle printers, records what it saw, and stops', async () => {
    const store = new MemoryStore();
    const log = { sent: [] as string[], active: new Map<string, number>(), maxActive: new Map<string, number>() };
    const q = new PrintQueue(store, scripted({}, log));
    const seen: string[] = [];
    const stop = q.pollHealth(
      10,
      async () => [A, B],
      (uri) => seen.push(uri),
    );
    await sleep(60);
    stop();
    const n = seen.length;
    await sleep(40);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBe(n);
    expect(store.statuses.some(([u, s]) => u === A && s.state === 'ready')).toBe(true);
    q.dispose();
  });
});
