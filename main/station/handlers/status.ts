/** The station's own state at a glance: what it holds, what it still has to send, how fresh its numbers are. */
import { catalogCounts, getConference } from '../../store/catalog';
import { inboxStats, outboxStats } from '../../store/queues';
import { countOpenCases } from '../../store/cases';
import { countCheckIns, countSales } from '../../store/sales';
import { integrityView, lastContact, staleness, type StationContext } from '../context';
import type { Handlers } from '../serve';

export function statusHandlers(ctx: StationContext): Pick<Handlers, 'station.status' | 'station.settings'> {
  return {
    'station.settings': async () => ctx.settings,
    'station.status': async () => {
      const c = await getConference(ctx.db);
      const counts = await catalogCounts(ctx.db);
      const sales = await countSales(ctx.db);
      const s = await staleness(ctx, ctx.db);
      const contact = await lastContact(ctx.db);
      return {
        stationId: ctx.stationId,
        conference: c ? { id: c.id, name: c.name, startsOn: c.starts_on, endsOn: c.ends_on } : null,
        counts: { ...counts, sales: sales.sales, pendingSales: sales.pending, checkIns: await countCheckIns(ctx.db) },
        outbox: await outboxStats(ctx.db),
        inbox: await inboxStats(ctx.db),
        staleness: s.known
          ? { known: true, minutes: Math.round(s.minutes * 10) / 10 }
          : { known: false, reason: s.reason },
        lastHqContact: contact ? new Date(contact.hqTime).toISOString() : null,
        openCases: await countOpenCases(ctx.db),
        integrity: integrityView(ctx),
      };
    },
  };
}
