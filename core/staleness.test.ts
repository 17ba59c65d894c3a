import { describe, expect, it } from 'vitest';
import { estimateStaleness, type HqContact } from './staleness';

const contact: HqContact = {
  hqTime: 1_000_000_000_000,
  wallTime: 1_000_000_005_000,
  monoTime: 50_000,
  bootId: 'boot-1',
};
const min = 60_000;

describe('estimateStaleness', () => {
  it.each([
    ['just now', { wall: contact.wallTime, mono: contact.monoTime }, 0],
    ['10 min, both clocks agree', { wall: contact.wallTime + 10 * min, mono: contact.monoTime + 10 * min }, 10],
    ['exactly 60 min', { wall: contact.wallTime + 60 * min, mono: contact.monoTime + 60 * min }, 60],
    ['wall clock slow (monotonic wins)', { wall: contact.wallTime + 5 * min, mono: contact.monoTime + 7 * min }, 7],
    [
      'wall clock ahead within tolerance (wall wins)',
      { wall: contact.wallTime + 9 * min, mono: contact.monoTime + 8 * min },
      9,
    ],
  ])('%s', (_name, now, minutes) => {
    const s = estimateStaleness(contact, { ...now, bootId: 'boot-1' });
    expect(s.known).toBe(true);
    if (s.known) {
      expect(s.minutes).toBeCloseTo(minutes, 9);
      expect(s.hqNow).toBe(contact.hqTime + s.ms);
    }
  });

  it.each([
    ['never synced', null, { wall: 0, mono: 0, bootId: 'boot-1' }, 'never_synced'],
    ['restarted (other boot)', contact, { wall: contact.wallTime + min, mono: 10, bootId: 'boot-2' }, 'restarted'],
    [
      'wall clock moved backwards',
      contact,
      { wall: contact.wallTime - 1, mono: contact.monoTime + min, bootId: 'boot-1' },
      'clock_moved_backwards',
    ],
    [
      'suspended: wall far ahead of monotonic',
      contact,
      { wall: contact.wallTime + 30 * min, mono: contact.monoTime + min, bootId: 'boot-1' },
      'suspended',
    ],
    [
      'monotonic backwards (corrupt)',
      contact,
      { wall: contact.wallTime + min, mono: contact.monoTime - 1, bootId: 'boot-1' },
      'invalid_reading',
    ],
    ['NaN reading', contact, { wall: Number.NaN, mono: contact.monoTime, bootId: 'boot-1' }, 'invalid_reading'],
    [
      'infinite contact',
      { ...contact, hqTime: Infinity },
      { wall: contact.wallTime, mono: contact.monoTime, bootId: 'boot-1' },
      'invalid_reading',
    ],
  ] as const)('unknown: %s', (_name, c, now, reason) => {
    const s = estimateStaleness(c, now);
    expect(s).toEqual({ known: false, reason });
  });

  it('tolerance is a boundary: exactly at it is still known, one ms more is a suspend', () => {
    const atLimit = estimateStaleness(
      contact,
      { wall: contact.wallTime + 3 * min, mono: contact.monoTime + min, bootId: 'boot-1' },
      { suspendToleranceMs: 2 * min },
    );
    expect(atLimit.known).toBe(true);
    const over = estimateStaleness(
      contact,
      { wall: contact.wallTime + 3 * min + 1, mono: contact.monoTime + min, bootId: 'boot-1' },
      { suspendToleranceMs: 2 * min },
    );
    expect(over).toEqual({ known: false, reason: 'suspended' });
  });
});
