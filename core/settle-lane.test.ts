import { describe, expect, it } from 'vitest';
import { settleLane } from './settle-lane';

/** A settlement that records when it starts and ends, and finishes when told. */
function recorder() {
  const log: string[] = [];
  const pending = new Map<string, () => void>();
  const op = (name: string) => () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve) => pending.set(name, () => (log.push(`end ${name}`), resolve(name))));
  };
  const finish = async (name: string) => {
    for (let i = 0; i < 10 && !pending.has(name); i++) await Promise.resolve();
    pending.get(name)!();
    pending.delete(name);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { log, op, finish, running: () => [...pending.keys()] };
}

describe('settleLane', () => {
  it('lets completions overlap', async () => {
    const lane = settleLane();
    const r = recorder();
    const a = lane.shared(r.op('c1'));
    const b = lane.shared(r.op('c2'));
    await new Promise((x) => setTimeout(x, 0));
    expect(r.running().sort()).toEqual(['c1', 'c2']);
    await r.finish('c1');
    await r.finish('c2');
    expect(await Promise.all([a, b])).toEqual(['c1', 'c2']);
  });

  it('runs a dead-letter alone: after the completions in flight, before the ones that came after it', async () => {
    const lane = settleLane();
    const r = recorder();
    const c1 = lane.shared(r.op('c1'));
    const d = lane.alone(r.op('dead'));
    const c2 = lane.shared(r.op('c2'));
    await new Promise((x) => setTimeout(x, 0));
    expect(r.running()).toEqual(['c1']);
    await r.finish('c1');
    expect(r.running()).toEqual(['dead']);
    await r.finish('dead');
    expect(r.running()).toEqual(['c2']);
    await r.finish('c2');
    await Promise.all([c1, d, c2]);
    expect(r.log).toEqual(['start c1', 'end c1', 'start dead', 'end dead', 'start c2', 'end c2']);
  });

  it('two exclusive settlements never overlap, and a failure releases the lane', async () => {
    const lane = settleLane();
    const r = recorder();
    const failing = lane.alone(() => Promise.reject(new Error('lock lost')));
    const b = lane.alone(r.op('abandon'));
    await expect(failing).rejects.toThrow('lock lost');
    await new Promise((x) => setTimeout(x, 0));
    expect(r.running()).toEqual(['abandon']);
    await r.finish('abandon');
    expect(await b).toBe('abandon');
  });
});
