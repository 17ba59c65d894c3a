/**
 * What the supervisor's sync screen shows beyond the current state: the link's history over the last hour, and how
 * far the backlog that waited for it has drained since it came back. Kept in memory, bounded: after a restart the
 * history starts at the restart — which is what happened, as far as this station can tell.
 */
import type { ConnectivitySpan } from '../../core/api';

type LinkState = ConnectivitySpan['state'];

/** Transitions kept at most (a flapping link changes state every few seconds; an hour of that is ~1,000). */
export const HISTORY_LIMIT = 2000;

export interface DrainStart {
  /** The oldest unsent outbox seq when the link came back, and the last appended then: the backlog. */
  firstSeq: number;
  lastSeq: number;
  since: number;
}

export class SyncWatch {
  private changes: { state: LinkState; reason: string; at: number }[] = [];
  private drainStart: DrainStart | null = null;

  /** A snapshot of the connectivity state machine; repeats of the same state and reason are not changes. */
  record(state: LinkState, reason: string, at: number): void {
    const last = this.changes.at(-1);
    if (last && last.state === state && last.reason === reason) return;
    this.changes.push({ state, reason, at });
    if (this.changes.length > HISTORY_LIMIT) this.changes.splice(0, this.changes.length - HISTORY_LIMIT);
  }

  /** Whether `state` is the link coming back (from offline or connecting to connected). */
  comesBack(state: LinkState): boolean {
    const before = this.changes.at(-2)?.state;
    return (state === 'online' || state === 'degraded') && before !== 'online' && before !== 'degraded';
  }

  /** The states over [now − windowMs, now], each span clipped to the window, oldest first. */
  history(
    now: number,
    windowMs: number,
  ): { from: number; to: number; spans: { state: LinkState; reason: string; from: number; to: number }[] } {
    const from = Math.max(now - windowMs, this.changes[0]?.at ?? now);
    const spans: { state: LinkState; reason: string; from: number; to: number }[] = [];
    this.changes.forEach((c, i) => {
      const end = this.changes[i + 1]?.at ?? now;
      if (end <= from) return;
      spans.push({
        state: c.state,
        reason: c.reason,
        from: Math.max(c.at, from),
        to: Math.max(Math.max(c.at, from), end),
      });
    });
    // Consecutive spans that only differ in reason wording (a retry count) read as one on a time line.
    const merged: typeof spans = [];
    for (const s of spans) {
      const prev = merged.at(-1);
      if (prev && prev.state === s.state) {
        prev.to = s.to;
        prev.reason = s.reason;
      } else merged.push({ ...s });
    }
    return { from, to: now, spans: merged };
  }

  setDrainStart(d: DrainStart | null): void {
    this.drainStart = d;
  }

  /** Of the backlog that waited for the link, how much is sent now (`oldestUnsent` null: everything is). */
  drain(oldestUnsent: number | null): { total: number; sent: number; since: number } | null {
    const d = this.drainStart;
    if (!d) return null;
    const total = d.lastSeq - d.firstSeq + 1;
    const sent = oldestUnsent === null ? total : Math.min(total, Math.max(0, oldestUnsent - d.firstSeq));
    return { total, sent, since: d.since };
  }
}
