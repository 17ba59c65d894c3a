/** One readable line per ledger event (the CLI's log, the demo's timeline). */
import type { LedgerEvent } from './ledger';

export function describeEvent(e: LedgerEvent): string | null {
  switch (e.type) {
    case 'verdict':
      return `${e.verdict === 'confirmed' ? 'CONFIRMED' : 'OVERSOLD '} sale ${e.saleId} ${e.sessionId} from ${e.station} (${e.tier}, via ${e.via}${e.overBy ? `, over by ${e.overBy}` : ''})`;
    case 'case.opened':
      return `case ${e.caseId} opened for sale ${e.saleId} at ${e.station}`;
    case 'case.resolved':
      return `case ${e.caseId} resolved: ${e.resolution} by ${e.by}${e.decidedBy === 'deadline' ? ' (deadline passed: default action)' : e.decidedBy === 'release' ? ' (sale released at its desk)' : ''}`;
    case 'case.escalated':
      return `case ${e.caseId} escalated to every supervisor: due at ${e.dueAt}`;
    case 'case.rejected':
      return `${e.resolution} of case ${e.caseId} from ${e.station} ${e.outcome}: ${e.reason}`;
    case 'waitlist.added':
      return `${e.registrantId} waitlisted for ${e.sessionId} (position ${e.position})`;
    case 'waitlist.promoted':
      return `${e.registrantId} promoted from the waitlist of ${e.sessionId} (sale ${e.saleId}; ${e.station} is told)`;
    case 'badge.revoked':
      return `badge v${e.version} of ${e.registrantId} revoked: ${e.reason}`;
    case 'released':
      return `released sale ${e.saleId} (${e.sessionId}) from ${e.station}`;
    case 'allotment.granted':
      return `allotment ${e.allotmentId}: ${e.seats} seat(s) of ${e.sessionId} to ${e.station}${e.asked === null ? ' (re-issued)' : ` (asked ${e.asked})`}`;
    case 'allotment.denied':
      return `allotment for ${e.station} on ${e.sessionId} denied: ${e.reason}`;
    case 'sale.waiting':
      return `sale ${e.saleId} ${e.sessionId} from ${e.station} waits until ${e.until}: seats asked back from ${e.askedFrom.join(', ')}`;
    case 'allotment.closed':
      return `allotment ${e.allotmentId} of ${e.station} ${e.status} (${e.unused} unused seat(s) back in the pool)`;
    case 'registrant':
      return `registrant ${e.registrantId} registered at ${e.station}; fanned out`;
    case 'parked':
      return `event ${e.origin}#${e.seq} held: waiting for #${e.waitingFor}`;
    case 'dead-letter':
      return `dead-lettered ${e.origin ?? '?'}#${e.seq ?? '?'}: ${e.reason}`;
    case 'stream.recovered':
      return `stream of ${e.station} recovered from #${e.fromSeq}: ${e.events} event(s) sent back${e.withoutBody ? ` (${e.withoutBody} applied before HQ kept bodies)` : ''}, next is #${e.nextSeq}`;
    case 'snapshot':
      return `conference snapshot sent to ${e.station} in ${e.chunks} chunk(s)`;
    case 'duplicate':
    case 'availability':
      return null;
  }
}
