/**
 * Staleness Δ: how long since this station last heard from HQ. It must not trust the wall clock (DESIGN §5):
 * a desk PC's clock can be wrong, can be changed by staff, can jump after a suspend. So each contact records
 * HQ's time, the local wall clock and a monotonic reading, and Δ is the larger of the two elapsed estimates.
 * Whenever the readings cannot be trusted, Δ is unknown and no overdraft is allowed until the next contact.
 */

/** What the station records at every contact with HQ (any feed message). */
export interface HqContact {
  /** HQ's clock, from the message (ms since epoch). */
  hqTime: number;
  /** Local wall clock at receipt (ms since epoch). */
  wallTime: number;
  /** Local monotonic clock at receipt (ms, arbitrary origin, only meaningful within one boot of the machine). */
  monoTime: number;
  /** Identifies the machine boot the monotonic reading belongs to. */
  bootId: string;
}

/** The station's clock. Passed in (tests use a fake one); readings are plain numbers so core stays pure. */
export interface Clock {
  /** Wall clock, ms since epoch. */
  now(): number;
  /** Monotonic clock, ms; never goes backwards within one boot, does not advance while suspended. */
  monotonic(): number;
  /** Changes on every machine boot, so a monotonic reading from another boot is never compared. */
  readonly bootId: string;
}

export interface ClockReading {
  wall: number;
  mono: number;
  bootId: string;
}

export const stalenessUnknownReasons = [
  'never_synced',
  'restarted',
  'clock_moved_backwards',
  'suspended',
  'invalid_reading',
] as const;
export type StalenessUnknownReason = (typeof stalenessUnknownReasons)[number];

export type Staleness =
  | {
      known: true;
      ms: number;
      minutes: number;
      /** HQ's clock now, estimated from the offset at the last contact. */ hqNow: number;
    }
  | { known: false; reason: StalenessUnknownReason };

export interface StalenessOptions {
  /**
   * How far the wall clock may run ahead of the monotonic clock before we assume the machine was suspended
   * (the monotonic clock stops during suspend). NTP slews are far below this.
   */
  suspendToleranceMs: number;
}

export const defaultStalenessOptions: StalenessOptions = { suspendToleranceMs: 120_000 };

export const stalenessReasonText: Record<StalenessUnknownReason, string> = {
  never_synced: 'this station has not heard from HQ yet',
  restarted: 'the station restarted since it last heard from HQ',
  clock_moved_backwards: 'the computer clock moved backwards since the last contact with HQ',
  suspended: 'the computer was asleep (or its clock jumped) since the last contact with HQ',
  invalid_reading: 'the clock readings are not valid numbers',
};

export function estimateStaleness(
  contact: HqContact | null,
  now: ClockReading,
  options: StalenessOptions = defaultStalenessOptions,
): Staleness {
  if (!contact) return { known: false, reason: 'never_synced' };
  const nums = [contact.hqTime, contact.wallTime, contact.monoTime, now.wall, now.mono];
  if (!nums.every(Number.isFinite)) return { known: false, reason: 'invalid_reading' };
  if (contact.bootId !== now.bootId) return { known: false, reason: 'restarted' };
  const monoElapsed = now.mono - contact.monoTime;
  const wallElapsed = now.wall - contact.wallTime;
  // A monotonic clock going backwards within one boot is impossible unless the readings are corrupt.
  if (monoElapsed < 0) return { known: false, reason: 'invalid_reading' };
  if (wallElapsed < 0) return { known: false, reason: 'clock_moved_backwards' };
  if (wallElapsed - monoElapsed > options.suspendToleranceMs) return { known: false, reason: 'suspended' };
  // The wall-clock estimate, corrected by HQ's offset at the contact, reduces to wallElapsed; the larger of the
  // two is the cautious answer.
  const ms = Math.max(monoElapsed, wallElapsed);
  return { known: true, ms, minutes: ms / 60_000, hqNow: contact.hqTime + ms };
}
