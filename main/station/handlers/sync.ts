/** What the sync engine is doing, for staff; and the "work offline" switch. */
import type { SyncStatus } from '../../../core/api';
import { inboxStats, outboxStats } from '../../store/queues';
import { actor, audit, inTx, lastContact, staleness, type StationContext } from '../context';
import type { Handlers } from '../serve';

export function syncHandlers(ctx: StationContext): Pick<Handlers, 'sync.status' | 'sync.setWorkOffline'> {
  async function status(): Promise<SyncStatus> {
    const engine = ctx.sync.engine;
    const info = engine?.info();
    const out = await outboxStats(ctx.db);
    const s = await staleness(ctx, ctx.db);
    const contact = await lastContact(ctx.db);
    const oldestAgeMin = out.oldestUnsentAt
      ? Math.max(0, (ctx.clock.now() - Date.parse(out.oldestUnsentAt)) / 60_000)
      : null;
    return {
      configured: engine !== null,
      state: info?.connectivity.state ?? 'offline',
      reason: info?.connectivity.reason ?? 'sync is not configured on this station',
      workOffline: info?.workOffline ?? false,
      lastHqContact: contact ? new Date(contact.hqTime).toISOString() : null,
      staleness: s.known
        ? { known: true, minutes: Math.round(s.minutes * 10) / 10 }
        : { known: false, reason: s.reason },
      outbox: {
        depth: out.depth,
        oldestUnsentAt: out.oldestUnsentAt,
        oldestAgeMin: oldestAgeMin === null ? null : Math.round(oldestAgeMin * 10) / 10,
        sentTotal: info?.relay.sentTotal ?? 0,
        ratePerSec: Math.round((info?.relay.ratePerSec ?? 0) * 10) / 10,
      },
      inbox: await inboxStats(ctx.db),
      lastError: info?.relay.lastError ?? info?.receiver.lastError ?? null,
    };
  }
  return {
    'sync.status': status,
    'sync.setWorkOffline': async ({ on }, caller) => {
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller); // the staff member must still exist, sync or not
        if (!ctx.sync.engine) return;
        ctx.sync.engine.setWorkOffline(on);
        audit(ctx, tx, {
          actor: by,
          action: on ? 'sync.workOffline' : 'sync.workOnline',
          subject: ctx.stationId,
          details: {},
        });
      });
      return status();
    },
  };
}
