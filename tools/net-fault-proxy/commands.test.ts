import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands';

describe('parseCommand', () => {
  it.each([
    ['cut', { kind: 'cut' }],
    ['  Heal  ', { kind: 'heal' }],
    ['blackhole on', { kind: 'blackhole', on: true }],
    ['blackhole off', { kind: 'blackhole', on: false }],
    ['refuse on', { kind: 'refuse', on: true }],
    ['latency 250', { kind: 'latency', ms: 250, jitterMs: 0 }],
    ['latency 250 40', { kind: 'latency', ms: 250, jitterMs: 40 }],
    ['flap 1000 500', { kind: 'flap', upMs: 1000, downMs: 500, mode: 'cut' }],
    ['flap 1000 500 3', { kind: 'flap', upMs: 1000, downMs: 500, cycles: 3, mode: 'cut' }],
    ['flap 1000 500 blackhole', { kind: 'flap', upMs: 1000, downMs: 500, mode: 'blackhole' }],
    ['flap 1000 500 3 blackhole', { kind: 'flap', upMs: 1000, downMs: 500, cycles: 3, mode: 'blackhole' }],
    ['flap off', { kind: 'stopflap' }],
    ['stats', { kind: 'stats' }],
    ['quit', { kind: 'quit' }],
  ])('parses %j', (line, command) => {
    expect(parseCommand(line)).toEqual({ ok: true, command });
  });

  it.each([
    'cut now',
    'blackhole',
    'blackhole maybe',
    'latency',
    'latency -5',
    'latency 1e3',
    'latency 10 20 30',
    'flap 100',
    'flap 0 100',
    'flap 100 100 0',
    'flap 100 100 blackhole 3',
    'flap 100 100 cut blackhole',
    'teleport',
  ])('rejects %j with a message', (line) => {
    const result = parseCommand(line);
    expect(result?.ok).toBe(false);
    expect(result && !result.ok ? result.error : '').toMatch(/\S/);
  });

  it('ignores blank lines and comments', () => {
    expect(parseCommand('')).toBeNull();
    expect(parseCommand('   ')).toBeNull();
    expect(parseCommand('# cut the venue wifi next')).toBeNull();
  });
});
