import { describe, expect, it } from 'vitest';
import { Session } from './conference';
import {
  caseTerms,
  defaultReconciliation,
  minutesLeft,
  reconciliationSettings,
  resolutionProblem,
  type ResolutionFacts,
} from './reconciliation';

const MIN = 60_000;
// Instants relative to an arbitrary origin: nothing here reads a clock.
const T0 = 1_000_000 * MIN;

describe('case terms', () => {
  it.each([
    // [what, opened, session starts (min after T0), settings, session, due (min after T0), escalate at, default]
    ['an hour after it opens, far from the session', 0, 600, {}, {}, 60, 45, 'honor'],
    ['ten minutes before a session that starts within the hour', 0, 40, {}, {}, 30, 15, 'honor'],
    ['exactly tied: either rule gives the same time', 0, 70, {}, {}, 60, 45, 'honor'],
    ['at once when the session is about to start', 0, 5, {}, {}, 0, 0, 'honor'],
    ['at once when the session already started', 0, -30, {}, {}, 0, 0, 'honor'],
    ['a room without space for a chair waitlists', 0, 600, {}, { roomForExtraChair: false }, 60, 45, 'waitlist'],
    [
      'a session default wins over the conference',
      0,
      600,
      { defaultAction: 'waitlist' },
      { oversellDefault: 'reverse' },
      60,
      45,
      'reverse',
    ],
    [
      'a conference default of reverse holds for a room without space',
      0,
      600,
      { defaultAction: 'reverse' },
      { roomForExtraChair: false },
      60,
      45,
      'reverse',
    ],
    [
      'conference times override HQ defaults',
      0,
      600,
      { dueAfterMin: 20, escalateBeforeDueMin: 5 },
      {},
      20,
      15,
      'honor',
    ],
    ['escalation never before the case opened', 0, 600, { dueAfterMin: 5 }, {}, 5, 0, 'honor'],
  ] as const)('%s', (_what, opened, starts, conf, session, due, escalate, action) => {
    const t = caseTerms({
      openedAtMs: T0 + opened * MIN,
      sessionStartsAtMs: T0 + starts * MIN,
      settings: reconciliationSettings(defaultReconciliation, conf),
      session,
    });
    expect(t).toEqual({ dueAtMs: T0 + due * MIN, escalateAtMs: T0 + escalate * MIN, defaultAction: action });
  });

  it('minutes left are negative once overdue', () => {
    expect(minutesLeft(T0 + 90 * MIN, T0)).toBe(90);
    expect(minutesLeft(T0, T0 + 61_000)).toBe(-1);
    expect(minutesLeft(T0 + 30_000, T0)).toBe(0.5);
  });

  it('a session cannot default to honor in a room without space for a chair', () => {
    const base = {
      id: 's1',
      title: 'Lab',
      startsAt: '2026-12-01T10:00:00Z',
      endsAt: '2026-12-01T11:00:00Z',
      capacity: 10,
    };
    expect(Session.safeParse({ ...base, roomForExtraChair: false, oversellDefault: 'honor' }).success).toBe(false);
    expect(Session.safeParse({ ...base, roomForExtraChair: false, oversellDefault: 'waitlist' }).success).toBe(true);
    expect(Session.safeParse({ ...base, oversellDefault: 'move' }).success).toBe(false);
  });
});

describe('which resolutions apply', () => {
  const open: ResolutionFacts = {
    caseOpen: true,
    roomForExtraChair: true,
    badgePrinted: false,
    fromSellingStation: true,
    moveTarget: null,
  };
  const target = { exists: true, sameSession: false, sellable: true, alreadyHolds: false, full: false };

  it.each([
    ['honor', {}, null],
    ['reverse', {}, null],
    ['waitlist', {}, null],
    ['refuse', {}, null],
    ['move', { moveTarget: target }, null],
    ['honor', { caseOpen: false }, 'case_closed'],
    ['reverse', { caseOpen: false }, 'case_closed'],
    ['honor', { roomForExtraChair: false }, 'no_extra_chair'],
    ['waitlist', { roomForExtraChair: false }, null],
    ['refuse', { badgePrinted: true }, 'badge_printed'],
    ['reverse', { badgePrinted: true }, null],
    ['refuse', { fromSellingStation: false }, 'refuse_elsewhere'],
    ['move', { moveTarget: null }, 'move_target_unknown'],
    ['move', { moveTarget: { ...target, exists: false } }, 'move_target_unknown'],
    ['move', { moveTarget: { ...target, sameSession: true } }, 'move_same_session'],
    ['move', { moveTarget: { ...target, sellable: false } }, 'move_not_sellable'],
    ['move', { moveTarget: { ...target, alreadyHolds: true } }, 'move_already_holds'],
    ['move', { moveTarget: { ...target, full: true } }, 'move_full'],
  ] as const)('%s with %o → %s', (action, facts, reason) => {
    const p = resolutionProblem(action, { ...open, ...facts });
    expect(p?.reason ?? null).toBe(reason);
    if (p) expect(p.message.length).toBeGreaterThan(20);
  });

  it('a full move target is a refusal; the other problems are conflicts or unknown things', () => {
    expect(resolutionProblem('move', { ...open, moveTarget: { ...target, full: true } })?.code).toBe('refused');
    expect(resolutionProblem('move', { ...open, moveTarget: null })?.code).toBe('not_found');
    expect(resolutionProblem('refuse', { ...open, badgePrinted: true })?.code).toBe('conflict');
  });
});
