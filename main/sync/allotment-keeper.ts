/**
 * The allotment keeper (DESIGN §5, tier 2): while the link is online, keeps seats in hand for every session this desk
 * sells, by asking HQ for allotments (`allotment.request` → AllotmentRequested), gives back a surplus, and gives
 * every unused seat back as a session nears its start (`allotment.return` → AllotmentReturned). How many seats:
 * 'adaptive' (the default) holds what `allotment.plan` says — about what this desk would sell during one of its
 * outages (core/allotment-sizing.ts) — so the allotment grows when the desk's sales pick up and shrinks when they
 * fall; a number holds that many per session. It works through the station's API only; HQ's answers arrive on the feed.
 */
import { allotmentsToGiveBack, keeperStep } from '../../core/allotment-sizing';
import type { StationApi } from '../../core/api';
import type { Connectivity } from './connectivity';

export interface AllotmentKeeperOptions {
  station: Pick<StationApi, 'call'>;
  connectivity: Connectivity;
  /** Seats to hold per session: 'adaptive', or a fixed number (0 = only give back near the start). */
  keep: number | 'adaptive';
  /** Sessions this desk sells; default: every sellable session. */
  sessions?: string[] | undefined;
  returnBeforeStartMin: number;
  checkEveryMs: number;
  requestTimeoutMs: number;
  now: () => number;
}

export interface KeeperPass {
  requested: { sessionId: string; seats: number }[];
  returned: { sessionId: string; seats: number }[];
  skipped: 'offline' | 'busy' | null;
}

export interface AllotmentKeeper {
  /** One pass now (also run by the timer and whenever the link comes online). */
  runOnce(): Promise<KeeperPass>;
  lastError(): string | null;
  stop(): Promise<void>;
}

export function startAllotmentKeeper(o: AllotmentKeeperOptions): AllotmentKeeper {
  /** Requests sent and not answered yet: session → when, and the seats in hand at that moment. */
  const inFlight = new Map<string, { at: number; heldAt: number }>();
  const only = o.sessions ? new Set(o.sessions) : null;
  let running: Promise<KeeperPass> | null = null;
  let stopped = false;
  let error: string | null = null;

  async function pass(): Promise<KeeperPass> {
    const out: KeeperPass = { requested: [], returned: [], skipped: null };
    if (o.connectivity.snapshot().state !== 'online') return { ...out, skipped: 'offline' };
    const plans = await o.station.call('allotment.plan', { returnBeforeStartMin: o.returnBeforeStartMin });
    if (!plans.ok) {
      // No conference yet (a late joiner waiting for its snapshot): nothing to keep.
      if (plans.error.code !== 'not_found') error = plans.error.message;
      return out;
    }
    const now = o.now();
    for (const p of plans.value) {
      if (stopped) break;
      if (only && !only.has(p.sessionId)) continue;
      if (p.minutesToReturn <= 0) {
        inFlight.delete(p.sessionId);
        if (p.held > 0) {
          const r = await o.station.call('allotment.return', { sessionId: p.sessionId });
          if (r.ok)
            out.returned.push({ sessionId: p.sessionId, seats: r.value.returned.reduce((n, x) => n + x.seats, 0) });
          else error = r.error.message;
        }
        continue;
      }
      if (o.keep === 0) continue;
      const asked = inFlight.get(p.sessionId);
      if (asked && p.held > asked.heldAt)
        inFlight.delete(p.sessionId); // answered
      else if (asked && now - asked.at < o.requestTimeoutMs) continue; // still waiting for HQ
      const step = keeperStep(p.held, o.keep === 'adaptive' ? p.target : o.keep);
      if (step === null) continue;
      if ('ask' in step) {
        // Asked even when the pool looks empty: HQ hears from a station only through its events, and asks only the
        // stations it heard from within a minute to give seats back for another desk's buyer (hq/README). A desk
        // short of its target holds seats others may need; its asks (denied, at most one per session per
        // `requestTimeoutMs`) keep it heard. The simulator measured it: skipping them refuses 1.7 (A) and 1.4 (B)
        // more buyers a day while seats are free (tools/simulator/README.md).
        const r = await o.station.call('allotment.request', { sessionId: p.sessionId, seats: step.ask });
        if (!r.ok) {
          error = r.error.message;
          continue;
        }
        inFlight.set(p.sessionId, { at: now, heldAt: p.held });
        out.requested.push({ sessionId: p.sessionId, seats: step.ask });
      } else if (o.keep === 'adaptive') {
        // Sales slowed down: whole allotments go back while the seats left stay at or above the target.
        let seats = 0;
        for (const a of allotmentsToGiveBack(p.allotments, step.giveBack)) {
          const r = await o.station.call('allotment.return', { allotmentId: a.allotmentId });
          if (r.ok) seats += a.unused;
          else error = r.error.message;
        }
        if (seats > 0) out.returned.push({ sessionId: p.sessionId, seats });
      }
    }
    return out;
  }

  function runOnce(): Promise<KeeperPass> {
    if (stopped) return Promise.resolve({ requested: [], returned: [], skipped: 'offline' });
    if (running) return running.then(() => ({ requested: [], returned: [], skipped: 'busy' as const }));
    running = pass()
      .catch((e: unknown) => {
        error = e instanceof Error ? e.message : String(e);
        return { requested: [], returned: [], skipped: null };
      })
      .finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => void runOnce(), o.checkEveryMs);
  const sub = o.connectivity.state$.subscribe((s) => {
    if (s.state === 'online') void runOnce();
  });

  return {
    runOnce,
    lastError: () => error,
    async stop() {
      stopped = true;
      clearInterval(timer);
      sub.unsubscribe();
      while (running) await running;
    },
  };
}
