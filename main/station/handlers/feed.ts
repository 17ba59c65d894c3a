/**
 * Applying what HQ says (DESIGN §4, §6): validate, then record in the inbox and apply in one transaction.
 * Every apply is idempotent: the inbox keeps every id, availability applies only when newer, verdicts are keyed
 * by sale id.
 */
import { v7 as uuidv7 } from 'uuid';
import type { FeedApplyResult, FeedBatchItem, Sale } from '../../../core/api';
import type { StationEvent } from '../../../core/events';
import { ConferenceFile, describeIssues, type Registrant } from '../../../core/conference';
import type { Envelope, FeedMessageType, Payload } from '../../../core/messages';
import { feedMessageTypes, parseEnvelope } from '../../../core/messages';
import { DomainError } from '../../../core/result';
import {
  getConference,
  getRegistrantRow,
  getSession,
  refreshImportedAvailability,
  ticketTypeExists,
  upsertSessions,
} from '../../store/catalog';
import { printsOf, recordPrint } from '../../store/printing';
import type { Tx } from '../../store/db';
import { inboxSeen, inboxWaiting, recordInbox, setInboxOutcome, type InboxRow } from '../../store/queues';
import {
  allotmentWithSeat,
  closeAllotment,
  getSale,
  grantEntitlement,
  hasEntitlement,
  toSale,
  updateSale,
  upsertAllotment,
} from '../../store/sales';
import { audit, emit, inTx, nowIso, recordContact, type StationContext } from '../context';
import type { Handlers } from '../serve';
import { applyReconciliation } from './case-feed';
import { applyRegistrantChange } from './registrations';
import { refundSale } from './payments';
import { importConference } from './catalog';
import { giveBack } from './allotments';
import { applyStreamRecovered } from './stream-recovery';
import type { Applied } from './feed-applied';

export function feedHandlers(ctx: StationContext): Pick<Handlers, 'feed.apply' | 'feed.applyBatch'> {
  return {
    'feed.apply': async ({ envelope }) => {
      const [r] = await applyFeed(ctx, [envelope]);
      if (r!.status === 'invalid') throw new DomainError('invalid_input', `Rejected feed message: ${r!.reason}`);
      return r!;
    },
    'feed.applyBatch': ({ envelopes }) => applyFeed(ctx, envelopes),
  };
}

/** Validates each envelope on its own, then records and applies the valid ones in one transaction. */
async function applyFeed(ctx: StationContext, raws: unknown[]): Promise<FeedBatchItem[]> {
  const checked = raws.map((raw): Envelope<FeedMessageType> | { invalid: string } => {
    const parsed = parseEnvelope(raw, feedMessageTypes);
    if (!parsed.ok) return { invalid: parsed.reason };
    if (parsed.envelope.origin !== 'hq') return { invalid: `origin must be "hq", not "${parsed.envelope.origin}"` };
    return parsed.envelope;
  });
  const valid = checked.filter((c): c is Envelope<FeedMessageType> => !('invalid' in c));
  const after: (() => void)[] = [];
  const applied = new Map<Envelope<FeedMessageType>, FeedApplyResult>();
  if (valid.length > 0) {
    await inTx(ctx, async (tx) => {
      let conference = await getConference(tx);
      const seen = ctx.feed.inboxHolds(valid.map((e) => e.id));
      const fresh: Envelope<FeedMessageType>[] = [];
      for (const env of valid) {
        if (seen.has(env.id)) applied.set(env, { status: 'duplicate', type: env.type, note: null });
        else {
          fresh.push(env);
          seen.add(env.id); // a second copy within the batch is a duplicate too
        }
      }
      if (fresh.length === 0) return;
      // HQ's clock as of the newest message: the staleness estimate starts from here.
      await recordContact(
        ctx,
        tx,
        Math.max(
          ...fresh.map((env) => (env.type === 'Heartbeat' ? Date.parse(env.payload.hqTime) : Date.parse(env.at))),
        ),
      );
      const rows: InboxRow[] = [];
      const at = nowIso(ctx);
      for (const env of fresh) {
        // A first snapshot chunk looks for chunks recorded before it: they must be in the inbox by then.
        if (env.type === 'ConferenceSnapshotChunk') ctx.feed.recordInbox(rows.splice(0));
        const r: Applied =
          conference && env.conferenceId !== conference.id
            ? { status: 'ignored', note: `for conference "${env.conferenceId}", not this station's "${conference.id}"` }
            : await apply(ctx, tx, env);
        rows.push({
          id: env.id,
          type: env.type,
          origin: env.origin,
          originSeq: env.seq,
          status: r.status,
          note: r.note,
          body: JSON.stringify(env),
          at,
        });
        if (r.after) after.push(r.after);
        applied.set(env, { status: r.status, type: env.type, note: r.note });
        if (env.type === 'ConferenceSnapshotChunk' && !conference) conference = await getConference(tx); // just imported
      }
      ctx.feed.recordInbox(rows);
    });
    ctx.events.emit({ type: 'hq.contact', hqTime: valid[valid.length - 1]!.at, messages: valid.length });
    for (const f of after) f(); // notifications only after the transaction committed
  }
  return checked.map((c) => ('invalid' in c ? { status: 'invalid', reason: c.invalid } : applied.get(c)!));
}

/**
 * Records a message that failed validation in the local quarantine list (the sync receiver dead-letters it on the
 * bus). Kept apart from `feed.apply`, which writes nothing for bad input.
 */
export async function quarantineFeedMessage(
  ctx: StationContext,
  body: string,
  reason: string,
  messageId?: string,
): Promise<void> {
  // Keyed by the bus message id when there is one, so a redelivery before the dead-letter took effect is not
  // recorded twice.
  const id = `quarantine:${messageId ?? uuidv7()}`;
  await inTx(ctx, async (tx) => {
    if (await inboxSeen(tx, id)) return;
    await recordInbox(tx, {
      id,
      type: 'invalid',
      origin: 'unknown',
      originSeq: null,
      status: 'quarantined',
      note: reason.slice(0, 1000),
      body: body.slice(0, 64_000),
      at: nowIso(ctx),
    });
  });
}

async function apply(ctx: StationContext, tx: Tx, env: Envelope<FeedMessageType>): Promise<Applied> {
  const me = `station:${ctx.stationId}`;
  const at = nowIso(ctx);
  switch (env.type) {
    case 'Heartbeat':
      return { status: 'applied', note: null };

    case 'SeatAvailability': {
      const p = env.payload;
      if (ctx.feed.applyAvailability({ ...p, hqTime: env.at, receivedAt: at })) {
        return {
          status: 'applied',
          note: null,
          after: () => ctx.events.emit({ type: 'availability.changed', sessionIds: [p.sessionId] }),
        };
      }
      return (await getSession(tx, p.sessionId))
        ? { status: 'ignored', note: 'older or same version' }
        : { status: 'ignored', note: `unknown session ${p.sessionId}` };
    }

    case 'SaleConfirmed': {
      const sale = ctx.feed.sale(env.payload.saleId);
      if (!sale) return { status: 'ignored', note: 'not a sale of this station' };
      if (sale.status !== 'pending') return { status: 'ignored', note: `sale already ${sale.status}` };
      await updateSale(tx, sale.id, { status: 'confirmed', decided_at: at, at_risk: 0, proceed: 1 });
      if (!(await hasEntitlement(tx, sale.registrant_id, sale.session_id)))
        await grantEntitlement(tx, sale.registrant_id, sale.session_id, sale.id, at);
      const decided = toSale((await getSale(tx, sale.id))!);
      return {
        status: 'applied',
        note: null,
        after: () => (ctx.verdicts.settle(sale.id, 'confirmed'), ctx.events.emit(decidedEvent(decided))),
      };
    }

    case 'SaleOversold': {
      const p = env.payload;
      if (p.station !== me) return { status: 'ignored', note: 'another station’s sale' };
      const sale = ctx.feed.sale(p.saleId);
      if (!sale) return { status: 'ignored', note: 'unknown sale' };
      if (sale.status !== 'pending') return { status: 'ignored', note: `sale already ${sale.status}` };
      if (sale.proceed === 0) {
        // Nobody left with this seat yet: refuse on the spot and give the seat back at HQ.
        await updateSale(tx, sale.id, { status: 'refused', decided_at: at, at_risk: 0 });
        emit(
          ctx,
          tx,
          'SeatReleased',
          {
            saleId: sale.id,
            sessionId: sale.session_id,
            registrantId: sale.registrant_id,
            reason: 'oversold at HQ; refused at the desk before the seat was handed out',
          },
          sale.session_id,
        );
        await refundSale(ctx, tx, sale.id, 'HQ says the session was full: the seat was not there');
        const decided = toSale((await getSale(tx, sale.id))!);
        return {
          status: 'applied',
          note: 'refused before fulfilment',
          after: () => (ctx.verdicts.settle(sale.id, 'oversold'), ctx.events.emit(decidedEvent(decided))),
        };
      }
      // The person already has the seat: staff must resolve it (DESIGN §8). HQ opens the case for every station
      // (OversellCaseOpened, right behind this verdict).
      await updateSale(tx, sale.id, { status: 'oversold', decided_at: at, at_risk: 0 });
      const decided = toSale((await getSale(tx, sale.id))!);
      return {
        status: 'applied',
        note: 'oversold; HQ opens the case',
        after: () => (ctx.verdicts.settle(sale.id, 'oversold'), ctx.events.emit(decidedEvent(decided))),
      };
    }

    case 'AllotmentGranted': {
      const p = env.payload;
      if (p.station !== me) return { status: 'ignored', note: 'another station’s allotment' };
      if (!(await getSession(tx, p.sessionId))) return { status: 'ignored', note: `unknown session ${p.sessionId}` };
      const added = await upsertAllotment(tx, {
        id: p.allotmentId,
        sessionId: p.sessionId,
        requestId: p.requestId,
        seats: p.seats,
        at,
      });
      return added ? { status: 'applied', note: null } : { status: 'ignored', note: 'allotment already known' };
    }

    case 'AllotmentRecalled': {
      const p = env.payload;
      if (p.station !== me) return { status: 'ignored', note: 'another station’s allotment' };
      const closed = await closeAllotment(tx, p.allotmentId, 'recalled', at);
      return closed
        ? { status: 'applied', note: `${closed.unused} unused seat(s) recalled` }
        : { status: 'ignored', note: 'no such active allotment' };
    }

    case 'AllotmentReturnRequested': {
      // Another desk has a buyer and HQ's pool is empty: every unused seat of the session goes back (the keeper
      // asks again when this desk needs some).
      const p = env.payload;
      if (p.station !== me) return { status: 'ignored', note: 'another station’s allotments' };
      let seats = 0;
      for (let a = await allotmentWithSeat(tx, p.sessionId); a; a = await allotmentWithSeat(tx, p.sessionId)) {
        const r = await giveBack(ctx, tx, a.id, 'hq');
        if (!r) break;
        seats += r.seats;
      }
      return seats > 0
        ? { status: 'applied', note: `${seats} seat(s) given back` }
        : { status: 'ignored', note: 'no seat in hand for the session' };
    }

    case 'RegistrantUpserted': {
      const r = env.payload.registrant;
      const conference = await getConference(tx);
      if (!conference) return { status: 'ignored', note: 'no conference loaded' };
      if (!(await ticketTypeExists(tx, r.ticketTypeId)))
        return { status: 'ignored', note: `unknown ticket type ${r.ticketTypeId}` };
      for (const s of r.sessions)
        if (!(await getSession(tx, s))) return { status: 'ignored', note: `unknown session ${s}` };
      ctx.registrants.upsert(conference.id, [r], 'hq', at);
      return { status: 'applied', note: null };
    }

    case 'SessionUpserted': {
      const conference = await getConference(tx);
      if (!conference) return { status: 'ignored', note: 'no conference loaded' };
      await upsertSessions(tx, conference.id, [env.payload.session]);
      await refreshImportedAvailability(tx);
      return { status: 'applied', note: null };
    }

    case 'OversellCaseOpened':
    case 'OversellCaseEscalated':
    case 'OversellCaseResolved':
    case 'OversellResolutionRejected':
    case 'WaitlistPromoted':
    case 'BadgeRevoked':
      return applyReconciliation(ctx, tx, env);

    // Kept in the inbox: door scanning reads the keys from there (badge.verify).
    case 'StationKeys':
      return { status: 'ignored', note: 'recorded' };

    case 'ConferenceSnapshotChunk':
      return applySnapshotChunk(ctx, tx, env.payload);

    case 'BadgePrintRecorded':
      return applyPrintElsewhere(ctx, tx, env.payload);

    case 'StreamRecovered':
      return applyStreamRecovered(ctx, tx, env.payload);
    case 'RegistrantChangeRecorded':
      return applyRegistrantChange(ctx, tx, env.payload);
  }
}

/**
 * Another station printed a badge. Recorded, so this station's kiosk will not print it again; and if a different
 * station printed the same version (two kiosks offline at once), staff are told — never silently merged.
 */
async function applyPrintElsewhere(ctx: StationContext, tx: Tx, p: Payload<'BadgePrintRecorded'>): Promise<Applied> {
  if (p.station === `station:${ctx.stationId}`) return { status: 'ignored', note: 'this station’s own print' };
  const r = await getRegistrantRow(tx, p.registrantId);
  if (!r) return { status: 'ignored', note: `unknown registrant ${p.registrantId}` };
  if (
    !(await recordPrint(tx, {
      station: p.station,
      jobId: p.jobId,
      registrantId: p.registrantId,
      version: p.badgeVersion,
      printedAt: p.printedAt,
    }))
  ) {
    return { status: 'ignored', note: 'print already known' };
  }
  const same = (await printsOf(tx, p.registrantId)).filter((x) => x.version === p.badgeVersion);
  if (new Set(same.map((x) => x.station)).size < 2) return { status: 'applied', note: null };
  const name = `${r.first_name} ${r.last_name}`.trim();
  const [a, b] = [same[0]!, same.find((x) => x.station !== same[0]!.station)!];
  const at = nowIso(ctx);
  const text = `The badge of ${name} was printed twice while stations could not see each other: at ${a.station.replace('station:', '')} ${a.printedAt} and ${b.station.replace('station:', '')} ${b.printedAt}. Reprint it with a reason so that only one works at the doors.`;
  audit(ctx, tx, {
    actor: 'hq',
    action: 'badge.printedTwice',
    subject: p.registrantId,
    details: { version: p.badgeVersion, prints: same.map((x) => ({ station: x.station, at: x.printedAt })) },
  });
  return {
    status: 'applied',
    note: 'printed twice: staff told',
    after: () =>
      ctx.events.emit({
        type: 'notification',
        kind: 'badge.printed_twice',
        audience: 'desk',
        title: `Badge printed twice: ${name}`,
        message: text,
        at,
        caseId: null,
        sessionId: null,
        registrantId: p.registrantId,
        resolutionId: null,
        params: {
          name,
          version: p.badgeVersion,
          firstStation: a.station,
          firstAt: a.printedAt,
          secondStation: b.station,
          secondAt: b.printedAt,
        },
      }),
  };
}

const decidedEvent = (s: Sale): StationEvent => ({
  type: 'sale.decided',
  saleId: s.id,
  sessionId: s.sessionId,
  registrantId: s.registrantId,
  status: s.status,
});

const WAITING_FOR_FIRST_CHUNK = 'waiting for snapshot chunk 0';

/**
 * A late-joining station's conference, from HQ in chunks addressed to it (DESIGN §7): chunk 0 imports the
 * conference, ticket types and sessions as a file import would; later chunks add registrants. A chunk that
 * arrives before chunk 0 waits in the inbox and is applied right after it.
 */
async function applySnapshotChunk(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'ConferenceSnapshotChunk'>,
): Promise<Applied> {
  if (p.station !== `station:${ctx.stationId}`) return { status: 'ignored', note: 'addressed to another station' };
  const conference = await getConference(tx);
  const at = nowIso(ctx);
  if (p.chunk > 0) {
    if (!conference) return { status: 'ignored', note: WAITING_FOR_FIRST_CHUNK };
    return addSnapshotRegistrants(ctx, tx, conference.id, p.registrants, at);
  }
  if (!p.conference) return { status: 'ignored', note: 'snapshot chunk 0 without the conference' };
  const file = ConferenceFile.safeParse({
    format: 'lanyard.conference/1',
    conference: p.conference,
    ticketTypes: p.ticketTypes,
    sessions: p.sessions,
    registrants: p.registrants,
  });
  if (!file.success)
    return { status: 'ignored', note: `snapshot chunk 0 is not a usable conference: ${describeIssues(file.error, 3)}` };
  const report = await importConference(ctx, tx, file.data, () => {});
  for (const waiting of await inboxWaiting(tx, 'ConferenceSnapshotChunk', WAITING_FOR_FIRST_CHUNK)) {
    const chunk = (JSON.parse(waiting.body) as Envelope<'ConferenceSnapshotChunk'>).payload;
    if (chunk.station !== p.station) continue;
    const r = await addSnapshotRegistrants(ctx, tx, file.data.conference.id, chunk.registrants, at);
    await setInboxOutcome(tx, waiting.id, r.status, r.note === null ? 'applied after chunk 0' : r.note);
  }
  return {
    status: 'applied',
    note: `conference ${file.data.conference.id}: ${report.sessions} sessions, ${report.registrants.inserted + report.registrants.updated} registrants (chunk 1 of ${p.of})`,
  };
}

async function addSnapshotRegistrants(
  ctx: StationContext,
  tx: Tx,
  conferenceId: string,
  registrants: Registrant[],
  at: string,
): Promise<Applied> {
  const usable: Registrant[] = [];
  const skipped: string[] = [];
  for (const r of registrants) {
    const known =
      (await ticketTypeExists(tx, r.ticketTypeId)) &&
      (await Promise.all(r.sessions.map((s) => getSession(tx, s)))).every(Boolean);
    if (known) usable.push(r);
    else skipped.push(r.id);
  }
  ctx.registrants.upsert(conferenceId, usable, 'hq', at);
  await refreshImportedAvailability(tx);
  return {
    status: 'applied',
    note: skipped.length
      ? `skipped ${skipped.length} registrant(s) with unknown ticket type or session: ${skipped.slice(0, 5).join(', ')}`
      : null,
  };
}
