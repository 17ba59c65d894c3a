/**
 * Oversell reconciliation (DESIGN §8), the pure part: when a case is due, what HQ does when nobody resolved it in
 * time, and whether a resolution applies. HQ and the stations decide with the same functions, each from what it
 * knows.
 */
import type { z } from 'zod';
import type { DeadlineAction, ReconciliationSettings } from './conference';
import type { OversellResolution } from './messages';
import type { ErrorCode } from './error-codes';

export type Resolution = z.infer<typeof OversellResolution>;

/** HQ's defaults (hq/config.ts); a conference's `reconciliation` overrides each of them. */
export const defaultReconciliation: ReconciliationSettings = {
  dueAfterMin: 60,
  dueBeforeStartMin: 10,
  escalateBeforeDueMin: 15,
  defaultAction: 'honor',
};

export function reconciliationSettings(
  base: ReconciliationSettings,
  conference: Partial<ReconciliationSettings> | undefined,
): ReconciliationSettings {
  return { ...base, ...Object.fromEntries(Object.entries(conference ?? {}).filter(([, v]) => v !== undefined)) };
}

export interface CaseTerms {
  dueAtMs: number;
  /** When every supervisor is alerted (never before the case opened). */
  escalateAtMs: number;
  defaultAction: DeadlineAction;
}

/**
 * A case is due `dueAfterMin` after it opens or `dueBeforeStartMin` before its session starts, whichever is first
 * (never before it opened: a case opened at the last minute is due at once). The default action is the session's
 * own, else the conference's, except that a room with no space for an extra chair cannot honor: it waitlists.
 */
export function caseTerms(i: {
  openedAtMs: number;
  sessionStartsAtMs: number;
  settings: ReconciliationSettings;
  session: { roomForExtraChair?: boolean | undefined; oversellDefault?: DeadlineAction | undefined };
}): CaseTerms {
  const s = i.settings;
  const dueAtMs = Math.max(
    i.openedAtMs,
    Math.min(i.openedAtMs + s.dueAfterMin * 60_000, i.sessionStartsAtMs - s.dueBeforeStartMin * 60_000),
  );
  const escalateAtMs = Math.max(i.openedAtMs, dueAtMs - s.escalateBeforeDueMin * 60_000);
  const fallback = i.session.roomForExtraChair === false && s.defaultAction === 'honor' ? 'waitlist' : s.defaultAction;
  return { dueAtMs, escalateAtMs, defaultAction: i.session.oversellDefault ?? fallback };
}

/** Minutes until the case is due by `nowMs` (negative once overdue), to one decimal. */
export function minutesLeft(dueAtMs: number, nowMs: number): number {
  return Math.round((dueAtMs - nowMs) / 6_000) / 10;
}

/** What the deciding side knows when a resolution is asked for. */
export interface ResolutionFacts {
  caseOpen: boolean;
  /** The case's session can take an extra chair. */
  roomForExtraChair: boolean;
  /** A badge carrying the seat may already be in the person's hands (printed, or a print of unknown outcome). */
  badgePrinted: boolean;
  /** The resolution comes from the station that sold the seat (refuse is decided at that desk). */
  fromSellingStation: boolean;
  /** For a move: the target session as this side sees it. */
  moveTarget: null | { exists: boolean; sameSession: boolean; sellable: boolean; alreadyHolds: boolean; full: boolean };
}

export interface ResolutionProblem {
  code: Extract<ErrorCode, 'not_found' | 'conflict' | 'refused'>;
  reason:
    | 'case_closed'
    | 'no_extra_chair'
    | 'badge_printed'
    | 'refuse_elsewhere'
    | 'move_target_unknown'
    | 'move_same_session'
    | 'move_not_sellable'
    | 'move_already_holds'
    | 'move_full';
  message: string;
}

/** Why `action` does not apply, or null when it does. */
export function resolutionProblem(action: Resolution, f: ResolutionFacts): ResolutionProblem | null {
  const no = (
    code: ResolutionProblem['code'],
    reason: ResolutionProblem['reason'],
    message: string,
  ): ResolutionProblem => ({ code, reason, message });
  if (!f.caseOpen) return no('conflict', 'case_closed', 'This case is already resolved.');
  switch (action) {
    case 'honor':
      return f.roomForExtraChair
        ? null
        : no(
            'conflict',
            'no_extra_chair',
            'The room has no space for an extra chair (the session is marked so): reverse, move or waitlist instead.',
          );
    case 'refuse':
      if (!f.fromSellingStation)
        return no(
          'conflict',
          'refuse_elsewhere',
          'Refuse cancels the sale at the desk that sold it, while the person is still there; resolve it at that desk, or choose another action.',
        );
      return f.badgePrinted
        ? no(
            'conflict',
            'badge_printed',
            'A badge with this seat has already printed (or may have): the person has it, so the sale cannot be refused; reverse it instead.',
          )
        : null;
    case 'move': {
      const t = f.moveTarget;
      if (!t || !t.exists) return no('not_found', 'move_target_unknown', 'The session to move to does not exist.');
      if (t.sameSession)
        return no('conflict', 'move_same_session', 'A move needs another session than the oversold one.');
      if (!t.sellable)
        return no('conflict', 'move_not_sellable', 'That session is not sold at desks (every ticket includes it).');
      if (t.alreadyHolds)
        return no('conflict', 'move_already_holds', 'The registrant already has a seat in that session.');
      return t.full ? no('refused', 'move_full', 'That session is full: there is no seat to move to.') : null;
    }
    case 'reverse':
    case 'waitlist':
      return null;
  }
}
