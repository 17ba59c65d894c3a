/** The preload bridge with `electron` mocked: only screen channels pass, events are validated, nothing leaks. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { channels, contract } from '../core/api';
import { CALL, EVENT, type LanyardBridge } from './bridge';

const exposed: Record<string, unknown> = {};
const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
const invoke = vi.fn(async (_ch: string, ...args: unknown[]) => ({ ok: true, value: args }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) },
  ipcRenderer: {
    invoke: (...a: [string, ...unknown[]]) => invoke(...a),
    on: (ch: string, f: (e: unknown, ...a: unknown[]) => void) =>
      (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(f),
    removeListener: (ch: string, f: (e: unknown, ...a: unknown[]) => void) => listeners.get(ch)?.delete(f),
  },
}));

let lanyard: LanyardBridge;
beforeEach(async () => {
  invoke.mockClear();
  await import('./index');
  lanyard = exposed.lanyard as LanyardBridge;
});

const emit = (raw: unknown) => {
  for (const f of listeners.get(EVENT) ?? []) f({ sender: 'ipc-event-object' }, raw);
};

describe('preload', () => {
  it('exposes exactly invoke and on, as window.lanyard', () => {
    expect(Object.keys(exposed)).toEqual(['lanyard']);
    expect(Object.keys(lanyard).sort()).toEqual(['invoke', 'on']);
  });

  it('passes every screen channel to the main process, and refuses the station’s own channels before they leave', async () => {
    for (const c of channels) {
      invoke.mockClear();
      const r = await lanyard.invoke(c, {});
      if (contract[c].access === 'internal') {
        expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(invoke).not.toHaveBeenCalled();
      } else {
        expect(invoke).toHaveBeenCalledWith(CALL, c, {});
      }
    }
    expect(channels.filter((c) => contract[c].access === 'internal').sort()).toEqual(['feed.apply', 'feed.applyBatch']);
  });

  it.each([['nope'], ['__proto__'], ['constructor'], [''], [42], [null], [{ toString: () => 'station.status' }]])(
    'refuses %j without calling the main process',
    async (name) => {
      const r = await lanyard.invoke(name as string, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(invoke).not.toHaveBeenCalled();
    },
  );

  it('a request that cannot be sent is an error value', async () => {
    invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    expect(await lanyard.invoke('station.status', { f: () => 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('hands the page validated events of the type it asked for, never the IPC event', () => {
    const got: unknown[] = [];
    const off = lanyard.on('connectivity', (e) => got.push(e));
    emit({ type: 'connectivity', state: 'offline', reason: 'network down' });
    emit({ type: 'connectivity', state: 'exploded', reason: 'x' }); // not in the schema
    emit({ type: 'hq.contact', hqTime: 'x', messages: 1 }); // another type
    emit('garbage');
    expect(got).toEqual([{ type: 'connectivity', state: 'offline', reason: 'network down' }]);
    off();
    emit({ type: 'connectivity', state: 'online', reason: 'ok' });
    expect(got).toHaveLength(1);
    expect(() => lanyard.on('nope' as never, () => {})).toThrow('Unknown station event');
  });
});
