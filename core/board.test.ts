import { describe, expect, it } from 'vitest';
import { boardVerdict } from './board';

describe('boardVerdict', () => {
  const seats = { capacity: 10, sold: 5, allotted: 2, heldHere: 0 };
  it.each([
    ['online with seats left: HQ will confirm', { allowed: true, tier: 'online' as const }, seats, 'may'],
    ['online, sold out: HQ would refuse', { allowed: true, tier: 'online' as const }, { ...seats, sold: 8 }, 'full'],
    ['online, oversold: HQ would refuse', { allowed: true, tier: 'online' as const }, { ...seats, sold: 12 }, 'full'],
    [
      'online, full but seats in hand here',
      { allowed: true, tier: 'online' as const },
      { ...seats, sold: 8, heldHere: 1 },
      'may',
    ],
    [
      'offline from seats in hand',
      { allowed: true, tier: 'allotment' as const },
      { ...seats, sold: 8, heldHere: 1 },
      'may',
    ],
    ['the policy refuses', { allowed: false, tier: null }, seats, 'may_not'],
    ['an override is not a verdict for the board', { allowed: true, tier: 'overdraft' as const }, seats, 'may'],
  ])('%s', (_name, d, s, want) => {
    expect(boardVerdict(d, s)).toBe(want);
  });
});
