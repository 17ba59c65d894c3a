/**
 * Seats in hand (DESIGN §5, tier 2): asking HQ for an allotment and giving unused seats back. HQ's answer to a
 * request arrives on the feed (AllotmentGranted, applied in handlers/feed.ts); a return closes the allotment here at
 * once and tells HQ how many seats were left, in the same transaction.
 */
import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '../../../core/result';
import { getSession } from '../../store/catalog';
import type { Tx } from '../../store/db';
import { allotmentWithSeat, closeAllotment } from '../../store/sales';
import { actor, audit, emit, inTx, nowIso, type StationContext } from '../context';
import type { Handlers } from '../serve';

export function allotmentHandlers(ctx: StationContext): Pick<Handlers, 'allotment.request' | 'allotment.return'> {
  async function giveBack(tx: Tx, allotmentId: string, staffId: string): Promise<{ allotmentId: string; sessionId: string; seats: number } | null> {
    const closed = await closeAllotment(tx, allotmentId, 'returned', nowIso(ctx));
    if (!closed) return null;
    await emit(ctx, tx, 'AllotmentReturned', { allotmentId, sessionId: closed.sessionId, seats: closed.unused }, closed.sessionId);
    await audit(ctx, tx, { actor: staffId, action: 'allotment.return', subject: allotmentId, details: { sessionId: closed.sessionId, seats: closed.unused } });
    return { allotmentId, sessionId: closed.sessionId, seats: closed.unused };
  }

  return {
    'allotment.request': async ({ sessionId, seats }, caller) =>
      inTx(ctx, async (tx) => {
        const s = await getSession(tx, sessionId);
        if (!s) throw new DomainError('not_found', `No session with id "${sessionId}".`);
        if (s.sellable !== 1) throw new DomainError('conflict', `"${s.title}" is not sold at the desk; it needs no allotment.`);
        const requestId = uuidv7();
        await emit(ctx, tx, 'AllotmentRequested', { requestId, sessionId, seats }, sessionId);
        await audit(ctx, tx, { actor: await actor(tx, caller), action: 'allotment.request', subject: requestId, details: { sessionId, seats } });
        return { requestId, sessionId, seats };
      }),

    'allotment.return': async ({ allotmentId, sessionId }, caller) =>
      inTx(ctx, async (tx) => {
        if (allotmentId !== undefined) {
          const r = await giveBack(tx, allotmentId, await actor(tx, caller));
          if (!r) throw new DomainError('not_found', `No active allotment with id "${allotmentId}".`);
          return { returned: [r] };
        }
        if (!(await getSession(tx, sessionId!))) throw new DomainError('not_found', `No session with id "${sessionId!}".`);
        const returned: { allotmentId: string; sessionId: string; seats: number }[] = [];
        // Bounded: each pass closes the allotment it found.
        for (let a = await allotmentWithSeat(tx, sessionId!); a; a = await allotmentWithSeat(tx, sessionId!)) {
          const r = await giveBack(tx, a.id, await actor(tx, caller));
          if (!r) break;
          returned.push(r);
        }
        return { returned };
      }),
  };
}
