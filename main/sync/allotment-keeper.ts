/**
 * The allotment keeper (DESIGN §5, tier 2): while the link is online, keeps `keepSeatsInHand` seats in hand for
 * every session this desk sells, by asking HQ for allotments (`allotment.request` → AllotmentRequested), and gives
 * unused seats back as a session nears its start (`allotment.return` → AllotmentReturned). It works through the
 * station's API only; HQ's answers arrive on the feed.
 */
import type { StationApi } from '../../core/api';
import type { Connectivity } from './connectivity';

export interface AllotmentKeeperOptions {
  station: Pick<StationApi, 'call'>;
  connectivity: Connectivity;
  /** Seats to hold per session; 0 = only give back near the start. */
  keep: number;
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
    const list = await o.station.call('sessions.list', {});
    if (!list.ok) {
      // No conference yet (a late joiner waiting for its snapshot): nothing to keep.
      if (list.error.code !== 'not_found') error = list.error.message;
      return out;
    }
    const now = o.now();
    for (const s of list.value) {
      if (stopped) break;
      if (!s.sellable || (only && !only.has(s.id))) continue;
      const held = s.availability.allotmentRemaining;
      const startsInMs = Date.parse(s.startsAt) - now;
      if (startsInMs <= o.returnBeforeStartMin * 60_000) {
        inFlight.delete(s.id);
        if (held > 0) {
          const r = await o.station.call('allotment.return', { sessionId: s.id });
          if (r.ok) out.returned.push({ sessionId: s.id, seats: r.value.returned.reduce((n, x) => n + x.seats, 0) });
          else error = r.error.message;
        }
        continue;
      }
      if (o.keep === 0) continue;
      const asked = inFlight.get(s.id);
      if (asked && held > asked.heldAt) inFlight.delete(s.id); // answered
      else if (asked && now - asked.at < o.requestTimeoutMs) continue; // still waiting for HQ
      const deficit = o.keep - held;
      const unallocated = s.availability.capacity - s.availability.sold - s.availability.allotted;
      if (deficit <= 0 || unallocated <= 0) continue;
      const r = await o.station.call('allotment.request', { sessionId: s.id, seats: deficit });
      if (!r.ok) {
        error = r.error.message;
        continue;
      }
      inFlight.set(s.id, { at: now, heldAt: held });
      out.requested.push({ sessionId: s.id, seats: deficit });
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
