/**
 * The HQ seat ledger (DESIGN §7): the single authority on capacity. It applies each station's events in `seq`
 * order with its own inbox, decides every sale, grants/recalls/reclaims allotments and writes what stations must
 * hear (verdicts, availability, registrants...) to its feed outbox in the same transaction. The service
 * (hq/service.ts) moves bytes between the bus and this class; nothing here knows about Service Bus.
 *
 * Rules, in short (hq/README.md has the reasoning):
 * - a sale charged to a valid allotment of the selling station is confirmed;
 * - any other sale is confirmed while sold + outstanding allotment seats < capacity;
 * - otherwise, if the selling station still holds an unused allotment seat for the session, that seat is charged
 *   and the sale confirmed (the allotment is re-issued so the station's count matches HQ's);
 * - otherwise, for an online sale, HQ asks the other stations it heard from within a minute to give back their
 *   unused seats for the session and the sale waits a moment for them (nothing is taken from a station: a seat in
 *   hand never oversells);
 * - otherwise the sale is oversold: it counts as sold (the person holds a badge) and a case is opened;
 * - the first resolution of a case HQ applies wins; any other is answered (lost, or refused when it does not
 *   apply); at its deadline HQ applies the default itself. A freed seat goes to the session's waitlist first.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type {
  Conference,
  ConferenceFile,
  DeadlineAction,
  Registrant,
  ReconciliationSettings,
  Session,
  TicketType,
} from '../core/conference';
import { Origin } from '../core/ids';
import type { Envelope, FeedMessageType, ParseResult, Payload, StationEventType } from '../core/messages';
import { parseEnvelope, schemaVersion, stationEventTypes } from '../core/messages';
import type { SaleBasis, SaleTier } from '../core/policy';
import { defaultGrant, defaultSeatWait, grantSeats, reclaimable } from '../core/allotment-sizing';
import {
  caseTerms,
  defaultReconciliation,
  reconciliationSettings,
  resolutionProblem,
  type Resolution,
} from '../core/reconciliation';
import type { HqConfig } from './config';
import type { HqDb, HqTx } from './store/db';
import type { FeedInsert, HqWriter, InboxInsert } from './store/writer';
import * as store from './store/ledger-store';

export type Disposition = { action: 'complete'; note: string | null } | { action: 'deadLetter'; reason: string };

export interface Incoming {
  /** The bus message id (for the dead-letter record); the envelope id is what the inbox keys on. */
  messageId: string | null;
  body: string;
}

/** What happened, for logs and the demo's timeline; emitted after the transaction committed. */
export type LedgerEvent =
  | {
      type: 'verdict';
      saleId: string;
      sessionId: string;
      station: string;
      tier: string;
      verdict: 'confirmed' | 'oversold';
      overBy: number | null;
      via: 'allotment' | 'pool' | 'own-allotment' | 'over';
    }
  | { type: 'case.opened'; caseId: string; saleId: string; sessionId: string; station: string; overBy: number }
  | { type: 'case.resolved'; caseId: string; saleId: string; resolution: string; by: string; decidedBy: string }
  | { type: 'case.escalated'; caseId: string; saleId: string; dueAt: string }
  | {
      type: 'case.rejected';
      caseId: string;
      station: string;
      resolution: string;
      outcome: 'lost' | 'refused';
      reason: string;
    }
  | { type: 'waitlist.added'; entryId: string; sessionId: string; registrantId: string; position: number }
  | {
      type: 'waitlist.promoted';
      entryId: string;
      sessionId: string;
      registrantId: string;
      saleId: string;
      station: string;
    }
  | { type: 'badge.revoked'; registrantId: string; version: number; reason: string }
  | { type: 'released'; saleId: string; sessionId: string; station: string }
  | {
      type: 'allotment.granted';
      allotmentId: string;
      station: string;
      sessionId: string;
      seats: number;
      asked: number | null;
    }
  | { type: 'allotment.denied'; station: string; sessionId: string; asked: number; reason: string }
  | {
      type: 'allotment.closed';
      allotmentId: string;
      station: string;
      sessionId: string;
      status: 'returned' | 'recalled' | 'reclaimed' | 'reissued';
      unused: number;
    }
  | { type: 'sale.waiting'; saleId: string; sessionId: string; station: string; askedFrom: string[]; until: string }
  | { type: 'registrant'; registrantId: string; station: string }
  | { type: 'parked'; origin: string; seq: number; waitingFor: number }
  | { type: 'duplicate'; origin: string | null; seq: number | null; id: string }
  | { type: 'dead-letter'; origin: string | null; seq: number | null; reason: string }
  | {
      type: 'availability';
      sessionId: string;
      capacity: number;
      sold: number;
      allotted: number;
      version: number;
      salesRatePerMin: number;
    }
  | { type: 'snapshot'; station: string; chunks: number }
  | {
      type: 'stream.recovered';
      station: string;
      fromSeq: number;
      nextSeq: number;
      events: number;
      withoutBody: number;
    };

export type LedgerOptions = Pick<
  HqConfig,
  'allotmentShare' | 'reclaimAfterMinutes' | 'recallBeforeStartMinutes' | 'salesRateWindowMinutes' | 'snapshotChunkSize'
> &
  Partial<
    Pick<
      HqConfig,
      | 'caseDueAfterMinutes'
      | 'caseDueBeforeStartMinutes'
      | 'caseEscalateBeforeDueMinutes'
      | 'caseDefaultAction'
      | 'seatWaitMs'
      | 'seatWaitAskWithinSeconds'
      | 'allotmentKeepBack'
    >
  > & {
    now?: () => number;
  };

/** How a resolution reached HQ: a station's request, the deadline, or the sale released at its desk. */
interface ResolutionInput {
  resolution: Resolution;
  by: string;
  decidedBy: 'station' | 'deadline' | 'release';
  resolutionId: string | null;
  supervisorId: string | null;
  note: string;
  moveToSessionId: string | null;
}

type CaseOutcome = Payload<'OversellCaseResolved'>['outcome'];
const noOutcome = (): CaseOutcome => ({
  capacity: null,
  moveToSessionId: null,
  moveSaleId: null,
  waitlistEntryId: null,
  waitlistPosition: null,
  revokedBadgeVersions: [],
});
const asOrigin = (o: string) => o as Payload<'OversellCaseOpened'>['station'];
const sessionBody = (s: store.SessionRecord) => JSON.parse(s.body) as Partial<Session>;

/**
 * One transaction's unit of work. Session counters, station cursors and the feed counter are read once per batch,
 * kept here, and written back once at the end (hq.apply benchmark: a batch of 100 events costs ~4 statements per
 * event instead of ~13).
 */
interface BatchCtx {
  tx: HqTx;
  nowMs: number;
  at: string;
  conferenceId: string;
  touched: Set<string>;
  events: LedgerEvent[];
  sessions: Map<string, store.SessionRecord>;
  dirtySessions: Set<string>;
  outstanding: Map<string, number>;
  stations: Map<string, { next_seq: number; last_event_at: string | null; dirty: boolean }>;
  parkedOrigins: Map<string, boolean>;
  feedSeq: number | null;
  seenIds: Set<string>;
  knownSales: Set<string>;
  /** Appends written once at the end of the batch. */
  inboxRows: InboxInsert[];
  feedRows: FeedInsert[];
  /** Sales and cases decided in this batch, inserted at its end (a release in the same batch edits them here). */
  newSales: Map<string, store.SaleRecord>;
  newCases: Map<string, store.CaseRecord>;
  /** Sessions with people on their waitlist (read once per batch, when a seat may have freed). */
  waiting: Set<string> | null;
}

const Head = z.object({ id: z.string().min(1).max(128), origin: Origin, seq: z.number().int().min(1) });

type Applied = { ok: true; note: string | null } | { ok: false; reason: string };

export class Ledger {
  private readonly now: () => number;
  /** Silence is measured from no earlier than this: a restarted HQ does not reclaim from everyone at once. */
  private readonly startedAt: number;
  private conferenceId: string | null = null;
  private settings: ReconciliationSettings | null = null;
  private listeners: ((e: LedgerEvent) => void)[] = [];
  /** Whether any sale waits for seats: read once from the database, then kept (most batches have none to settle). */
  private seatWaits: boolean | null = null;

  constructor(
    private readonly db: HqDb,
    private readonly opts: LedgerOptions,
    /** Prepared inserts on the same connection (from openHqDb). */
    private readonly writer: HqWriter,
  ) {
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
  }

  onEvent(f: (e: LedgerEvent) => void): () => void {
    this.listeners.push(f);
    return () => (this.listeners = this.listeners.filter((g) => g !== f));
  }

  // ---- seeding ------------------------------------------------------------------------------------------------

  /** Seeds conference, sessions (capacity, seats already held) and registrants once; later starts keep the ledger. */
  async seed(file: ConferenceFile): Promise<'seeded' | 'kept'> {
    const r = await store.inTransaction(this.db, async (tx) => {
      const existing = await store.getConferenceRow(tx);
      if (existing) {
        if (existing.id !== file.conference.id) {
          throw new Error(
            `this HQ database holds conference "${existing.id}", not "${file.conference.id}"; use a new database`,
          );
        }
        return 'kept' as const;
      }
      const at = this.iso();
      await store.insertConference(tx, file.conference.id, JSON.stringify(file.conference), at);
      for (const t of file.ticketTypes) await store.upsertTicketType(tx, t.id, JSON.stringify(t));
      const held = new Map<string, number>();
      for (const reg of file.registrants) for (const s of reg.sessions) held.set(s, (held.get(s) ?? 0) + 1);
      for (const s of file.sessions) {
        await store.insertSession(tx, {
          id: s.id,
          body: JSON.stringify(s),
          startsAt: s.startsAt,
          capacity: s.capacity,
          sellable: s.sellable,
          baseSold: held.get(s.id) ?? 0,
        });
      }
      await store.insertRegistrants(
        tx,
        file.registrants.map((x) => ({ id: x.id, body: JSON.stringify(x) })),
        'import',
        at,
      );
      return 'seeded' as const;
    });
    this.conferenceId = file.conference.id;
    return r;
  }

  private async conference(q: HqDb | HqTx): Promise<string> {
    if (this.conferenceId) return this.conferenceId;
    const c = await store.getConferenceRow(q);
    if (!c) throw new Error('the HQ ledger has no conference; seed it first');
    this.conferenceId = c.id;
    return c.id;
  }

  // ---- applying station events ----------------------------------------------------------------------------------

  /** Applies a batch of station events in one transaction; one disposition per message, in order. */
  async applyBatch(messages: Incoming[]): Promise<Disposition[]> {
    const { out, events } = await this.batch(async (ctx) => {
      const parsed = messages.map((m) => {
        try {
          return JSON.parse(m.body) as unknown;
        } catch {
          return undefined;
        }
      });
      // One query each for the inbox and the sale ids of the whole batch.
      const ids: string[] = [];
      const saleIds: string[] = [];
      for (const raw of parsed) {
        const r = raw as { id?: unknown; type?: unknown; payload?: { saleId?: unknown } } | undefined;
        if (typeof r?.id === 'string') ids.push(r.id);
        if (r?.type === 'SeatSold' && typeof r.payload?.saleId === 'string') saleIds.push(r.payload.saleId);
      }
      ctx.seenIds = await store.inboxHasAny(ctx.tx, ids);
      ctx.knownSales = await store.salesExisting(ctx.tx, saleIds);
      const out: Disposition[] = [];
      for (const [i, m] of messages.entries()) out.push(await this.handle(ctx, m, parsed[i]));
      return out;
    });
    this.publishEvents(events);
    return out;
  }

  private async batch<T>(fn: (ctx: BatchCtx) => Promise<T>): Promise<{ out: T; events: LedgerEvent[] }> {
    const conferenceId = await this.conference(this.db);
    return store.inTransaction(this.db, async (tx) => {
      const nowMs = this.now();
      const ctx: BatchCtx = {
        tx,
        nowMs,
        at: new Date(nowMs).toISOString(),
        conferenceId,
        touched: new Set(),
        events: [],
        sessions: new Map(),
        dirtySessions: new Set(),
        outstanding: new Map(),
        stations: new Map(),
        parkedOrigins: new Map(),
        feedSeq: null,
        seenIds: new Set(),
        knownSales: new Set(),
        inboxRows: [],
        feedRows: [],
        newSales: new Map(),
        newCases: new Map(),
        waiting: null,
      };
      const out = await fn(ctx);
      // Whatever freed seats in this batch (releases, returns, reclaims), the waitlist gets them first, then the sales
      // waiting for seats HQ asked other stations to give back.
      for (const id of [...ctx.touched]) await this.promoteWaitlist(ctx, id);
      if (ctx.touched.size > 0 && (await this.anySeatWaits(tx))) {
        const waiting = await store.sessionsWithSeatWaits(tx);
        for (const id of [...ctx.touched])
          if (waiting.has(id)) await this.settleSeatWaits(ctx, await store.seatWaitsOf(tx, id));
      }
      await this.flushAvailability(ctx);
      for (const id of ctx.dirtySessions) {
        const s = ctx.sessions.get(id)!;
        await store.updateSession(tx, id, {
          sold: s.sold,
          capacity: s.capacity,
          version: s.version,
          rate: s.rate,
          rate_at: s.rate_at,
        });
      }
      for (const [origin, st] of ctx.stations)
        if (st.dirty) await store.updateStation(tx, origin, { next_seq: st.next_seq, last_event_at: st.last_event_at });
      if (ctx.feedSeq !== null) await store.setCounter(tx, 'feed', ctx.feedSeq);
      this.writer.sales([...ctx.newSales.values()]);
      this.writer.cases([...ctx.newCases.values()]);
      this.writer.inbox(ctx.inboxRows);
      this.writer.feed(ctx.feedRows);
      return { out, events: ctx.events };
    });
  }

  // ---- the unit of work's caches ------------------------------------------------------------------------------

  private async session(ctx: BatchCtx, id: string): Promise<store.SessionRecord | undefined> {
    let s = ctx.sessions.get(id);
    if (!s) {
      s = await store.getSession(ctx.tx, id);
      if (s) ctx.sessions.set(id, s);
    }
    return s;
  }

  private change(ctx: BatchCtx, s: store.SessionRecord, set: Partial<store.SessionRecord>): void {
    Object.assign(s, set);
    ctx.dirtySessions.add(s.id);
    ctx.touched.add(s.id);
  }

  private async outstandingOf(ctx: BatchCtx, sessionId: string): Promise<number> {
    let n = ctx.outstanding.get(sessionId);
    if (n === undefined) {
      n = await store.outstanding(ctx.tx, sessionId);
      ctx.outstanding.set(sessionId, n);
    }
    return n;
  }

  /** Allotments of the session changed: forget the cached sum and announce new numbers. */
  private allotmentsChanged(ctx: BatchCtx, sessionId: string): void {
    ctx.outstanding.delete(sessionId);
    ctx.touched.add(sessionId);
  }

  /** Closes an allotment HQ takes back (recalled, reclaimed, reissued) and tells its station: `unused` seats return. */
  private async closeAllotment(
    ctx: BatchCtx,
    a: store.AllotmentRecord,
    status: 'recalled' | 'reclaimed' | 'reissued',
    why: string,
    unused: number,
  ): Promise<void> {
    await store.closeAllotment(ctx.tx, a.id, status, ctx.at, why);
    this.allotmentsChanged(ctx, a.session_id);
    await this.emit(
      ctx,
      'AllotmentRecalled',
      { allotmentId: a.id, station: a.station as Payload<'AllotmentRecalled'>['station'], sessionId: a.session_id },
      { sessionId: a.session_id, station: a.station },
    );
    ctx.events.push({
      type: 'allotment.closed',
      allotmentId: a.id,
      station: a.station,
      sessionId: a.session_id,
      status,
      unused,
    });
  }

  private async station(ctx: BatchCtx, origin: string) {
    let st = ctx.stations.get(origin);
    if (!st) {
      const r = await store.ensureStation(ctx.tx, origin, ctx.at);
      st = { next_seq: r.next_seq, last_event_at: r.last_event_at, dirty: false };
      ctx.stations.set(origin, st);
    }
    return st;
  }

  private async getSale(ctx: BatchCtx, id: string): Promise<store.SaleRecord | undefined> {
    return ctx.newSales.get(id) ?? (await store.getSale(ctx.tx, id));
  }

  private async getCase(ctx: BatchCtx, saleId: string): Promise<store.CaseRecord | undefined> {
    return ctx.newCases.get(saleId) ?? (await store.getCaseBySale(ctx.tx, saleId));
  }

  private async caseById(ctx: BatchCtx, id: string): Promise<store.CaseRecord | undefined> {
    for (const c of ctx.newCases.values()) if (c.id === id) return c;
    return store.getCase(ctx.tx, id);
  }

  /** HQ's case terms: its configuration, overridden by the conference's `reconciliation`. */
  private async reconciliation(q: HqDb | HqTx): Promise<ReconciliationSettings> {
    if (this.settings) return this.settings;
    const row = await store.getConferenceRow(q);
    const conference = row ? (JSON.parse(row.body) as Partial<Conference>) : {};
    const o = this.opts;
    const base: ReconciliationSettings = {
      dueAfterMin: o.caseDueAfterMinutes ?? defaultReconciliation.dueAfterMin,
      dueBeforeStartMin: o.caseDueBeforeStartMinutes ?? defaultReconciliation.dueBeforeStartMin,
      escalateBeforeDueMin: o.caseEscalateBeforeDueMinutes ?? defaultReconciliation.escalateBeforeDueMin,
      defaultAction: o.caseDefaultAction ?? defaultReconciliation.defaultAction,
    };
    this.settings = reconciliationSettings(base, conference.reconciliation);
    return this.settings;
  }

  private async mayHaveParked(ctx: BatchCtx, origin: string): Promise<boolean> {
    let p = ctx.parkedOrigins.get(origin);
    if (p === undefined) {
      p = await store.hasParked(ctx.tx, origin);
      ctx.parkedOrigins.set(origin, p);
    }
    return p;
  }

  private publishEvents(events: LedgerEvent[]): void {
    for (const e of events) for (const f of this.listeners) f(e);
  }

  private async handle(ctx: BatchCtx, m: Incoming, raw: unknown): Promise<Disposition> {
    if (raw === undefined) return this.deadLetter(ctx, m, null, 'the body is not JSON');
    const parsed = parseEnvelope(raw, stationEventTypes);
    // A valid envelope has a valid head; an invalid one may still tell whose stream it belongs to.
    const head = parsed.ok
      ? {
          success: true as const,
          data: { id: parsed.envelope.id, origin: parsed.envelope.origin, seq: parsed.envelope.seq },
        }
      : Head.safeParse(raw);
    if (!head.success) return this.deadLetter(ctx, m, null, parsed.ok ? 'invalid envelope head' : parsed.reason);
    const { id, origin, seq } = head.data;
    if (origin === 'hq') return this.deadLetter(ctx, m, head.data, 'a station event cannot have origin "hq"');
    if (ctx.seenIds.has(id)) {
      ctx.events.push({ type: 'duplicate', origin, seq, id });
      return { action: 'complete', note: 'duplicate (already in the inbox)' };
    }
    if (parsed.ok && parsed.envelope.conferenceId !== ctx.conferenceId) {
      return this.deadLetter(
        ctx,
        m,
        head.data,
        `for conference "${parsed.envelope.conferenceId}", not "${ctx.conferenceId}"`,
      );
    }
    // Outside the stream's order: a restored station asks where its stream stands before it takes another seq.
    if (parsed.ok && parsed.envelope.type === 'StreamRecoveryRequested')
      return this.recoverStream(ctx, m, parsed.envelope as Envelope<'StreamRecoveryRequested'>);
    const station = await this.station(ctx, origin);
    station.last_event_at = ctx.at;
    station.dirty = true;
    if (seq < station.next_seq)
      return this.deadLetter(ctx, m, head.data, `seq ${seq} of ${origin} was already applied with another event id`);
    if (seq > station.next_seq) {
      const parked = (await this.mayHaveParked(ctx, origin)) ? await store.getParked(ctx.tx, origin, seq) : undefined;
      if (parked) {
        if (parked.id === id) {
          ctx.events.push({ type: 'duplicate', origin, seq, id });
          return { action: 'complete', note: 'duplicate (already parked)' };
        }
        return this.deadLetter(ctx, m, head.data, `seq ${seq} of ${origin} is already held with another event id`);
      }
      await store.insertParked(ctx.tx, {
        origin,
        seq,
        id,
        body: m.body,
        poison: parsed.ok ? null : parsed.reason,
        at: ctx.at,
      });
      ctx.parkedOrigins.set(origin, true);
      ctx.events.push({ type: 'parked', origin, seq, waitingFor: station.next_seq });
      // A poison event ahead of a gap is dead-lettered now; its place in the stream is kept so the gap can close.
      if (!parsed.ok) return this.deadLetter(ctx, m, head.data, parsed.reason);
      return { action: 'complete', note: `parked until seq ${station.next_seq} of ${origin} arrives` };
    }
    // In order: apply it, then whatever was parked behind it.
    const first = await this.applyInOrder(ctx, origin, id, seq, parsed, m, m.body);
    let next = seq + 1;
    while (await this.mayHaveParked(ctx, origin)) {
      const p = await store.getParked(ctx.tx, origin, next);
      if (!p) break;
      await store.deleteParked(ctx.tx, origin, next);
      // Its bus message was settled when it was parked (completed, or dead-lettered if poison).
      await this.applyInOrder(
        ctx,
        origin,
        p.id,
        next,
        p.poison === null ? parseEnvelope(JSON.parse(p.body), stationEventTypes) : { ok: false, reason: p.poison },
        null,
        p.body,
      );
      next++;
    }
    if (next > seq + 1) ctx.parkedOrigins.delete(origin); // re-checked on the next use
    station.next_seq = next;
    return first;
  }

  /** Applies the event at the head of its origin's stream; poison and rejected events are recorded and skipped. */
  private async applyInOrder(
    ctx: BatchCtx,
    origin: string,
    id: string,
    seq: number,
    parsed: ParseResult<StationEventType>,
    m: Incoming | null,
    body: string,
  ): Promise<Disposition> {
    const r: Applied = parsed.ok ? await this.apply(ctx, parsed.envelope) : { ok: false, reason: parsed.reason };
    const type = parsed.ok ? parsed.envelope.type : 'invalid';
    ctx.inboxRows.push({
      id,
      origin,
      seq,
      type,
      status: r.ok ? 'applied' : 'rejected',
      note: r.ok ? r.note : r.reason,
      at: ctx.at,
      body: parsed.ok ? body : null,
    });
    ctx.seenIds.add(id);
    if (r.ok) return { action: 'complete', note: r.note };
    if (m === null) return { action: 'complete', note: r.reason }; // a parked poison event: dead-lettered when parked
    return this.deadLetter(ctx, m, { id, origin, seq }, r.reason);
  }

  /**
   * A station restored from a backup (main/store/backup.ts) asks for its own events from `fromSeq` on: those HQ
   * applied (their bodies are kept) and those parked ahead of a gap, with HQ's verdict on its sales among them, and
   * the first seq HQ has not seen from it. The answer goes to that station only, in chunks.
   */
  private async recoverStream(
    ctx: BatchCtx,
    m: Incoming,
    env: Envelope<'StreamRecoveryRequested'>,
  ): Promise<Disposition> {
    const p = env.payload;
    const origin = env.origin;
    if (`station:${p.stationId}` !== origin)
      return this.deadLetter(
        ctx,
        m,
        { id: env.id, origin, seq: env.seq },
        `StreamRecoveryRequested for "${p.stationId}" sent by ${origin}`,
      );
    const station = await this.station(ctx, origin);
    const bySeq = new Map<number, string | null>();
    for (const r of await store.stationEventsFrom(ctx.tx, origin, p.fromSeq)) bySeq.set(r.seq, r.body);
    for (const r of ctx.inboxRows) if (r.origin === origin && r.seq >= p.fromSeq) bySeq.set(r.seq, r.body); // applied earlier in this batch
    let nextSeq = station.next_seq;
    for (const r of await store.parkedFrom(ctx.tx, origin, p.fromSeq)) {
      bySeq.set(r.seq, r.poison === null ? r.body : null);
      nextSeq = Math.max(nextSeq, r.seq + 1);
    }
    const bodies = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, body]) => body);
    const events = bodies.filter((b): b is string => b !== null);
    const chunkSize = 100;
    const of = Math.max(1, Math.ceil(events.length / chunkSize));
    for (let chunk = 0; chunk < of; chunk++) {
      const part = events.slice(chunk * chunkSize, (chunk + 1) * chunkSize);
      const sales: Payload<'StreamRecovered'>['sales'] = [];
      for (const body of part) {
        const e = JSON.parse(body) as { type: string; payload: { saleId?: string } };
        if (e.type !== 'SeatSold' || !e.payload.saleId) continue;
        const sale = await this.getSale(ctx, e.payload.saleId);
        if (sale) sales.push({ saleId: sale.id, verdict: sale.verdict, released: sale.released_at !== null });
      }
      await this.emit(
        ctx,
        'StreamRecovered',
        {
          station: origin as Payload<'StreamRecovered'>['station'],
          requestId: p.requestId,
          fromSeq: p.fromSeq,
          nextSeq,
          chunk,
          of,
          events: part,
          sales,
        },
        { station: origin },
      );
    }
    ctx.events.push({
      type: 'stream.recovered',
      station: origin,
      fromSeq: p.fromSeq,
      nextSeq,
      events: events.length,
      withoutBody: bodies.length - events.length,
    });
    return { action: 'complete', note: `stream of ${origin} recovered from #${p.fromSeq}: next is #${nextSeq}` };
  }

  private async deadLetter(
    ctx: BatchCtx,
    m: Incoming,
    head: { id: string; origin: string; seq: number } | null,
    reason: string,
  ): Promise<Disposition> {
    await store.insertDeadLetter(ctx.tx, {
      messageId: m.messageId,
      eventId: head?.id ?? null,
      origin: head?.origin ?? null,
      seq: head?.seq ?? null,
      reason,
      body: m.body.slice(0, 64_000),
      at: ctx.at,
    });
    ctx.events.push({ type: 'dead-letter', origin: head?.origin ?? null, seq: head?.seq ?? null, reason });
    return { action: 'deadLetter', reason };
  }

  private async apply(ctx: BatchCtx, env: Envelope<StationEventType>): Promise<Applied> {
    switch (env.type) {
      case 'SeatSold':
        return this.sell(ctx, env.origin, env.id, env.payload);
      case 'SeatReleased':
        return this.release(ctx, env.origin, env.payload);
      case 'AllotmentRequested':
        return this.grant(ctx, env.origin, env.payload);
      case 'AllotmentReturned':
        return this.returned(ctx, env.origin, env.payload);
      case 'OversellResolved':
        return this.resolve(ctx, env.origin, env.id, env.payload);
      case 'StreamRecoveryRequested': // answered outside the stream (recoverStream); never at a seq
        return { ok: false, reason: 'StreamRecoveryRequested is not an event of the stream' };
      case 'RegistrantRegistered': {
        const r = env.payload.registrant;
        await store.upsertRegistrant(ctx.tx, r.id, JSON.stringify(r), env.origin, ctx.at);
        await this.emit(ctx, 'RegistrantUpserted', { registrant: r });
        ctx.events.push({ type: 'registrant', registrantId: r.id, station: env.origin });
        return { ok: true, note: null };
      }
      case 'StationHello': {
        const p = env.payload;
        if (`station:${p.stationId}` !== env.origin)
          return { ok: false, reason: `StationHello for "${p.stationId}" sent by ${env.origin}` };
        await store.updateStation(ctx.tx, env.origin, { key_id: p.keyId, public_key: p.publicKey });
        const keys = (await store.listStations(ctx.tx))
          .filter((s) => s.key_id !== null && s.public_key !== null)
          .map((s) => ({ keyId: s.key_id!, station: s.origin, publicKey: s.public_key! }));
        await this.emit(ctx, 'StationKeys', { keys });
        return { ok: true, note: null };
      }
      case 'BadgeVoided': {
        const p = env.payload;
        const fresh = await this.revokeBadge(ctx, p.registrantId, p.badgeVersion, p.reason);
        return { ok: true, note: fresh ? null : 'already revoked' };
      }
      case 'BadgePrinted':
        // Kept: a sale whose badge printed cannot be refused, and a reversal revokes what printed.
        await store.recordBadgePrint(ctx.tx, {
          registrantId: env.payload.registrantId,
          version: env.payload.badgeVersion,
          station: env.origin,
          at: ctx.at,
        });
        // Every station hears of every print: a kiosk elsewhere will not print it again, and two stations that
        // printed the same badge while apart find out (DESIGN §9).
        await this.emit(ctx, 'BadgePrintRecorded', {
          registrantId: env.payload.registrantId,
          badgeVersion: env.payload.badgeVersion,
          station: env.origin,
          jobId: env.payload.jobId,
          printedAt: env.at,
        });
        return { ok: true, note: null };
      case 'RegistrationUpgraded':
      case 'CheckedIn':
        return { ok: true, note: 'recorded' };
      // ---- the desks' day (issue 19) ----
      case 'RegistrantChanged':
        return this.registrantChanged(ctx, env.origin, env.id, env.payload);
      case 'SeatReturned':
        return this.seatReturned(ctx, env.origin, env.payload);
      case 'PaymentRecorded': {
        const p = env.payload;
        const fresh = await store.insertPayment(ctx.tx, {
          id: p.paymentId,
          station: env.origin,
          registrant_id: p.registrantId,
          sale_id: p.saleId,
          purpose: p.purpose,
          description: p.description,
          amount: p.amount,
          currency: p.currency,
          method: p.method,
          reference: p.reference,
          reason: p.reason,
          staff_id: p.staffId,
          taken_at: env.at,
        });
        return { ok: true, note: fresh ? null : 'payment already recorded' };
      }
      case 'PaymentReversed': {
        const p = env.payload;
        const closed = await store.closePayment(ctx.tx, p.paymentId, {
          status: p.kind === 'void' ? 'voided' : 'refunded',
          at: env.at,
          reason: p.reason,
          supervisorId: p.supervisorId,
        });
        return { ok: true, note: closed ? null : 'no such open payment' };
      }
    }
  }

  // ---- the desks' day (issue 19) ------------------------------------------------------------------------------------

  /**
   * A desk changed a registration: HQ's record takes the change (its seats stay HQ's: a desk's view of them may be
   * older), it is kept with who, where and why, and relayed to every station in HQ's order — the sender included —
   * so all converge on the same record.
   */
  private async registrantChanged(
    ctx: BatchCtx,
    station: string,
    eventId: string,
    p: Payload<'RegistrantChanged'>,
  ): Promise<Applied> {
    const held = await store.getRegistrantBody(ctx.tx, p.registrant.id);
    const sessions = held ? ((JSON.parse(held) as Partial<Registrant>).sessions ?? []) : p.registrant.sessions;
    const registrant: Registrant = { ...p.registrant, sessions };
    await store.upsertRegistrant(ctx.tx, registrant.id, JSON.stringify(registrant), station, ctx.at);
    await store.recordRegistrantChange(ctx.tx, {
      eventId,
      station,
      registrantId: registrant.id,
      kind: p.kind,
      fields: p.fields,
      reason: p.reason,
      staffId: p.staffId,
      at: ctx.at,
    });
    await this.emit(ctx, 'RegistrantChangeRecorded', {
      registrant,
      kind: p.kind,
      fields: p.fields,
      station: station as Payload<'RegistrantChangeRecorded'>['station'],
      reason: p.reason,
    });
    ctx.events.push({ type: 'registrant', registrantId: registrant.id, station });
    return { ok: true, note: `${p.kind}: ${p.fields.join(', ')}` };
  }

  /**
   * A seat given back that has no sale of the desk's own: one that came with the import (HQ counts it in the
   * session's sold seats and in the registrant's record; every station is told through RegistrantUpserted), or
   * one HQ sold itself (a move, a waitlist promotion), which any desk may give back for the person in front of it.
   */
  private async seatReturned(ctx: BatchCtx, station: string, p: Payload<'SeatReturned'>): Promise<Applied> {
    const s = await this.session(ctx, p.sessionId);
    if (!s) return { ok: false, reason: `unknown session "${p.sessionId}"` };
    if (p.saleId !== null) {
      const sale = await this.getSale(ctx, p.saleId);
      if (!sale) return { ok: true, note: 'unknown sale; nothing to release' };
      if (sale.registrant_id !== p.registrantId || sale.session_id !== p.sessionId)
        return { ok: false, reason: `sale ${p.saleId} is not ${p.registrantId}'s seat in ${p.sessionId}` };
      if (sale.tier !== 'move' && sale.tier !== 'waitlist' && sale.station !== station)
        return { ok: false, reason: `sale ${p.saleId} belongs to ${sale.station}; it releases its own sales` };
      if (sale.held === 0) return { ok: true, note: 'already released' };
      await this.freeSeat(ctx, sale);
      return { ok: true, note: null };
    }
    const body = await store.getRegistrantBody(ctx.tx, p.registrantId);
    const r = body ? (JSON.parse(body) as Registrant) : null;
    if (!r || !(r.sessions ?? []).includes(p.sessionId))
      return { ok: true, note: 'not an imported seat at HQ; nothing to release' };
    const registrant: Registrant = { ...r, sessions: r.sessions.filter((x) => x !== p.sessionId) };
    await store.upsertRegistrant(ctx.tx, registrant.id, JSON.stringify(registrant), station, ctx.at);
    this.change(ctx, s, { sold: Math.max(0, s.sold - 1) });
    ctx.events.push({ type: 'released', saleId: `import:${p.registrantId}`, sessionId: s.id, station });
    await this.emit(ctx, 'RegistrantUpserted', { registrant });
    return { ok: true, note: null };
  }

  private async sell(ctx: BatchCtx, station: string, eventId: string, p: Payload<'SeatSold'>): Promise<Applied> {
    const s = await this.session(ctx, p.sessionId);
    if (!s) return { ok: false, reason: `unknown session "${p.sessionId}"` };
    if (ctx.knownSales.has(p.saleId)) {
      const prior = (await this.getSale(ctx, p.saleId))!;
      return prior.station === station
        ? { ok: true, note: `sale already decided (${prior.verdict})` }
        : { ok: false, reason: `sale id ${p.saleId} belongs to ${prior.station}` };
    }
    if ((await this.anySeatWaits(ctx.tx)) && (await store.getSeatWait(ctx.tx, p.saleId)))
      return { ok: true, note: 'sale already waiting for seats' };
    return this.decide(ctx, s, station, eventId, p, null);
  }

  /** Decides a sale (DESIGN §7, the rules above); `wait` is the sale's seat wait when it is one being settled. */
  private async decide(
    ctx: BatchCtx,
    s: store.SessionRecord,
    station: string,
    eventId: string,
    p: Payload<'SeatSold'>,
    wait: store.SeatWaitRecord | null,
  ): Promise<Applied> {
    const out = await this.outstandingOf(ctx, s.id);

    let charged: store.AllotmentRecord | undefined;
    let via: Extract<LedgerEvent, { type: 'verdict' }>['via'];
    if (p.allotmentId !== null) {
      const a = await store.getAllotment(ctx.tx, p.allotmentId);
      if (a && a.station === station && a.session_id === s.id && a.status === 'active' && a.used < a.seats) charged = a;
    }
    if (charged) via = 'allotment';
    else if (s.sold + out < s.capacity) via = 'pool';
    else {
      charged = await store.oldestAllotmentWithSeat(ctx.tx, station, s.id);
      if (charged) via = 'own-allotment';
      else {
        const waiting = await this.askForSeats(ctx, s.id, station, eventId, p, wait);
        if (waiting) return waiting;
        via = 'over';
      }
    }
    if (wait) await store.deleteSeatWait(ctx.tx, p.saleId);
    const verdict = via === 'over' ? 'oversold' : 'confirmed';
    const overBy = via === 'over' ? s.sold + out + 1 - s.capacity : null;
    if (charged) {
      await store.useAllotmentSeat(ctx.tx, charged.id);
      this.allotmentsChanged(ctx, s.id);
    }
    this.change(ctx, s, { sold: s.sold + 1, ...this.bumpRate(s, ctx.nowMs) });
    ctx.knownSales.add(p.saleId);
    ctx.newSales.set(p.saleId, {
      id: p.saleId,
      session_id: s.id,
      station,
      registrant_id: p.registrantId,
      tier: p.tier,
      allotment_id: p.allotmentId,
      charged_allotment_id: charged?.id ?? null,
      event_id: eventId,
      verdict,
      over_by: overBy,
      held: 1,
      decided_at: ctx.at,
      released_at: null,
    });
    // The station may or may not have charged that seat itself (it does when its wait for the verdict timed out):
    // re-issue the allotment so both sides count the same. Sent before the verdict, so the station's allotment is
    // closed by the time it hears the sale was confirmed.
    if (via === 'own-allotment') await this.reissue(ctx, charged!);
    let caseId: string | null = null;
    if (verdict === 'confirmed') {
      await this.emit(ctx, 'SaleConfirmed', { saleId: p.saleId, sessionId: s.id }, { sessionId: s.id, station });
    } else {
      await this.emit(
        ctx,
        'SaleOversold',
        { saleId: p.saleId, sessionId: s.id, station: station as Payload<'SaleOversold'>['station'], overBy: overBy! },
        { sessionId: s.id, station },
      );
      caseId = uuidv7();
      const body = sessionBody(s);
      const terms = caseTerms({
        openedAtMs: ctx.nowMs,
        sessionStartsAtMs: Date.parse(s.starts_at),
        settings: await this.reconciliation(ctx.tx),
        session: body,
      });
      const c: store.CaseRecord = {
        id: caseId,
        sale_id: p.saleId,
        session_id: s.id,
        station,
        over_by: overBy!,
        status: 'open',
        resolution: null,
        resolved_by: null,
        opened_at: ctx.at,
        resolved_at: null,
        registrant_id: p.registrantId,
        tier: p.tier,
        basis_json: JSON.stringify(p.basis),
        due_at: new Date(terms.dueAtMs).toISOString(),
        escalate_at: new Date(terms.escalateAtMs).toISOString(),
        default_action: terms.defaultAction,
        escalated_at: null,
        decided_by: null,
        resolution_id: null,
        supervisor_id: null,
        note: null,
        outcome_json: null,
      };
      ctx.newCases.set(p.saleId, c);
      await this.emit(ctx, 'OversellCaseOpened', caseOpenedPayload(c, p.registrantId), { sessionId: s.id, station });
    }
    ctx.events.push({
      type: 'verdict',
      saleId: p.saleId,
      sessionId: s.id,
      station,
      tier: p.tier,
      verdict,
      overBy,
      via,
    });
    if (caseId !== null)
      ctx.events.push({ type: 'case.opened', caseId, saleId: p.saleId, sessionId: s.id, station, overBy: overBy! });
    return { ok: true, note: `${verdict} (${via})` };
  }

  /**
   * An online sale (a desk waiting at the counter) that finds no seat in the pool nor in its own allotment, while
   * other stations HQ heard from within `seatWaitAskWithinSeconds` hold unused seats: HQ asks them to give those
   * back (AllotmentReturnRequested) and the sale waits up to `seatWaitMs` for them. Nothing is taken from a station,
   * so a seat in hand never oversells: an online station answers at once, one that just went offline when it is
   * back. Returns the outcome when the sale waits (or goes on waiting), null when it is to be decided now.
   */
  private async askForSeats(
    ctx: BatchCtx,
    sessionId: string,
    seller: string,
    eventId: string,
    p: Payload<'SeatSold'>,
    wait: store.SeatWaitRecord | null,
  ): Promise<Applied | null> {
    if (wait) return ctx.nowMs < Date.parse(wait.until) ? { ok: true, note: 'still waiting for seats' } : null;
    const waitMs = this.opts.seatWaitMs ?? defaultSeatWait.waitMs;
    if (p.tier !== 'online' || !(waitMs > 0)) return null;
    const withinMs = (this.opts.seatWaitAskWithinSeconds ?? defaultSeatWait.askHeardWithinMin * 60) * 1000;
    const held = (await store.allotmentsWithSeat(ctx.tx, sessionId))
      .filter((a) => a.station !== seller)
      .map((a) => ({
        station: a.station,
        unused: a.seats - a.used,
        lastHeardMs: Date.parse(ctx.stations.get(a.station)?.last_event_at ?? a.last_event_at ?? ''),
      }));
    const stations = [...new Set(reclaimable(held, ctx.nowMs, withinMs).map((a) => a.station))];
    if (stations.length === 0) return null;
    const until = new Date(ctx.nowMs + waitMs).toISOString();
    await store.insertSeatWait(ctx.tx, {
      sale_id: p.saleId,
      session_id: sessionId,
      station: seller,
      event_id: eventId,
      payload: JSON.stringify(p),
      since: ctx.at,
      until,
    });
    this.seatWaits = true;
    for (const station of stations)
      await this.emit(
        ctx,
        'AllotmentReturnRequested',
        { station: station as Payload<'AllotmentReturnRequested'>['station'], sessionId },
        { sessionId, station },
      );
    ctx.events.push({ type: 'sale.waiting', saleId: p.saleId, sessionId, station: seller, askedFrom: stations, until });
    return { ok: true, note: `waiting until ${until} for seats held at ${stations.join(', ')}` };
  }

  private async anySeatWaits(q: HqDb | HqTx): Promise<boolean> {
    this.seatWaits ??= (await store.nextSeatWaitUntil(q)) !== null;
    return this.seatWaits;
  }

  /** Decides the waiting sales of a session again (seats came back, or their wait ran out), first come first served. */
  private async settleSeatWaits(ctx: BatchCtx, waits: store.SeatWaitRecord[]): Promise<void> {
    for (const w of waits) {
      const s = (await this.session(ctx, w.session_id))!;
      await this.decide(ctx, s, w.station, w.event_id, JSON.parse(w.payload) as Payload<'SeatSold'>, w);
    }
  }

  /** Sales whose wait for seats ran out are decided now (the service calls this a few times a second). */
  async expireSeatWaits(): Promise<number> {
    if (!(await this.anySeatWaits(this.db))) return 0;
    const { out, events } = await this.batch(async (ctx) => {
      const due = await store.dueSeatWaits(ctx.tx, ctx.at);
      await this.settleSeatWaits(ctx, due);
      this.seatWaits = (await store.nextSeatWaitUntil(ctx.tx)) !== null;
      return due.length;
    });
    this.publishEvents(events);
    return out;
  }

  private async reissue(ctx: BatchCtx, a: store.AllotmentRecord): Promise<void> {
    const remaining = a.seats - (a.used + 1);
    await this.closeAllotment(ctx, a, 'reissued', 'a seat was charged for a sale the pool could not cover', remaining);
    if (remaining > 0) {
      const id = uuidv7();
      await store.insertAllotment(ctx.tx, {
        id,
        station: a.station,
        sessionId: a.session_id,
        requestId: null,
        seats: remaining,
        at: ctx.at,
        note: `re-issued from ${a.id}`,
      });
      await this.emit(
        ctx,
        'AllotmentGranted',
        {
          allotmentId: id,
          requestId: null,
          station: a.station as Payload<'AllotmentGranted'>['station'],
          sessionId: a.session_id,
          seats: remaining,
        },
        { sessionId: a.session_id, station: a.station },
      );
      ctx.events.push({
        type: 'allotment.granted',
        allotmentId: id,
        station: a.station,
        sessionId: a.session_id,
        seats: remaining,
        asked: null,
      });
    }
  }

  private async release(ctx: BatchCtx, station: string, p: Payload<'SeatReleased'>): Promise<Applied> {
    let sale = await this.getSale(ctx, p.saleId);
    const wait = !sale && (await this.anySeatWaits(ctx.tx)) ? await store.getSeatWait(ctx.tx, p.saleId) : undefined;
    if (wait && wait.station === station) {
      // Staff gave up waiting: decide the sale now (its wait ends), then release it as any other.
      await this.settleSeatWaits(ctx, [{ ...wait, until: ctx.at }]);
      sale = await this.getSale(ctx, p.saleId);
    }
    if (!sale) return { ok: true, note: 'unknown sale; nothing to release' };
    if (sale.station !== station)
      return { ok: false, reason: `sale ${p.saleId} belongs to ${sale.station}, not ${station}` };
    if (sale.held === 0) return { ok: true, note: 'already released' };
    await this.freeSeat(ctx, sale);
    // An oversold online sale the desk refused before handing it out: its case closes with that.
    const c = await this.getCase(ctx, sale.id);
    if (c && c.status === 'open') {
      await this.closeCase(
        ctx,
        c,
        sale,
        {
          resolution: 'refuse',
          by: station,
          decidedBy: 'release',
          resolutionId: null,
          supervisorId: null,
          note: p.reason,
          moveToSessionId: null,
        },
        noOutcome(),
      );
    }
    return { ok: true, note: null };
  }

  private async freeSeat(ctx: BatchCtx, sale: store.SaleRecord): Promise<void> {
    const s = (await this.session(ctx, sale.session_id))!;
    const pending = ctx.newSales.get(sale.id);
    if (pending) Object.assign(pending, { held: 0, released_at: ctx.at });
    else await store.releaseSale(ctx.tx, sale.id, ctx.at);
    this.change(ctx, s, { sold: Math.max(0, s.sold - 1) });
    ctx.events.push({ type: 'released', saleId: sale.id, sessionId: s.id, station: sale.station });
    await this.promoteWaitlist(ctx, s.id);
  }

  private async closeCase(
    ctx: BatchCtx,
    c: store.CaseRecord,
    sale: store.SaleRecord,
    r: ResolutionInput,
    outcome: CaseOutcome,
  ): Promise<void> {
    const set: store.CaseResolution = {
      resolution: r.resolution,
      resolved_by: r.by,
      resolved_at: ctx.at,
      decided_by: r.decidedBy,
      resolution_id: r.resolutionId,
      supervisor_id: r.supervisorId,
      note: r.note,
      outcome_json: JSON.stringify(outcome),
    };
    const pending = ctx.newCases.get(c.sale_id);
    if (pending) Object.assign(pending, { status: 'resolved', ...set });
    else await store.resolveCase(ctx.tx, c.id, set);
    await this.emit(
      ctx,
      'OversellCaseResolved',
      caseResolvedPayload({ ...c, status: 'resolved', ...set }, c.registrant_id ?? sale.registrant_id, outcome),
      { sessionId: c.session_id, station: c.station },
    );
    ctx.events.push({
      type: 'case.resolved',
      caseId: c.id,
      saleId: c.sale_id,
      resolution: r.resolution,
      by: r.by,
      decidedBy: r.decidedBy,
    });
  }

  /**
   * A station's resolution. The first one HQ applies wins; any other gets an answer addressed to its station
   * (lost, with what was applied; or refused, with why), so no request waits forever.
   */
  private async resolve(
    ctx: BatchCtx,
    station: string,
    eventId: string,
    p: Payload<'OversellResolved'>,
  ): Promise<Applied> {
    const answer = async (
      outcome: 'lost' | 'refused',
      reason: string,
      resolvedAs: Resolution | null,
    ): Promise<Applied> => {
      await this.emit(
        ctx,
        'OversellResolutionRejected',
        {
          caseId: p.caseId,
          saleId: p.saleId,
          resolutionId: p.resolutionId,
          station: asOrigin(station),
          resolution: p.resolution,
          outcome,
          reason: reason.slice(0, 1000),
          resolvedAs,
        },
        { station },
      );
      ctx.events.push({ type: 'case.rejected', caseId: p.caseId, station, resolution: p.resolution, outcome, reason });
      return { ok: true, note: `${outcome}: ${reason}` };
    };
    const c = await this.caseById(ctx, p.caseId);
    if (!c || c.sale_id !== p.saleId)
      return answer('refused', `HQ has no oversell case ${p.caseId} for sale ${p.saleId}`, null);
    if (c.status === 'resolved') {
      const how = c.decided_by === 'deadline' ? 'by HQ at its deadline' : `by ${c.resolved_by ?? '?'}`;
      return answer(
        'lost',
        `the case was already resolved (${c.resolution ?? '?'} ${how}); the first resolution wins`,
        c.resolution as Resolution,
      );
    }
    const sale = (await this.getSale(ctx, c.sale_id))!;
    const s = (await this.session(ctx, c.session_id))!;
    const problem = resolutionProblem(p.resolution, {
      caseOpen: true,
      roomForExtraChair: sessionBody(s).roomForExtraChair !== false,
      badgePrinted: await store.badgePrintedSince(ctx.tx, sale.registrant_id, sale.decided_at),
      fromSellingStation: station === c.station,
      moveTarget: p.moveToSessionId === null ? null : await this.moveTarget(ctx, station, sale, p.moveToSessionId),
    });
    if (problem) return answer('refused', problem.message, null);
    await this.applyResolution(
      ctx,
      c,
      sale,
      {
        resolution: p.resolution,
        by: station,
        decidedBy: 'station',
        resolutionId: p.resolutionId,
        supervisorId: p.supervisorId,
        note: p.note,
        moveToSessionId: p.moveToSessionId,
      },
      eventId,
    );
    return { ok: true, note: null };
  }

  /** The move target as HQ sees it: full unless the pool or the requesting station's own allotment has a seat. */
  private async moveTarget(ctx: BatchCtx, station: string, sale: store.SaleRecord, targetId: string) {
    const t = await this.session(ctx, targetId);
    if (!t) return { exists: false, sameSession: false, sellable: false, alreadyHolds: false, full: true };
    const imported = ((await store.getRegistrantBody(ctx.tx, sale.registrant_id)) ?? '{}') as string;
    const alreadyHolds =
      (await store.heldSaleOf(ctx.tx, sale.registrant_id, t.id)) !== undefined ||
      ((JSON.parse(imported) as Partial<Registrant>).sessions ?? []).includes(t.id);
    const free = t.sold + (await this.outstandingOf(ctx, t.id)) < t.capacity;
    const full = !free && (await store.oldestAllotmentWithSeat(ctx.tx, station, t.id)) === undefined;
    return { exists: true, sameSession: t.id === sale.session_id, sellable: t.sellable === 1, alreadyHolds, full };
  }

  /** Applies a resolution's effects at HQ and closes the case; stations apply the same from OversellCaseResolved. */
  private async applyResolution(
    ctx: BatchCtx,
    c: store.CaseRecord,
    sale: store.SaleRecord,
    r: ResolutionInput,
    eventId: string,
  ): Promise<void> {
    const outcome = noOutcome();
    const why = `oversold seat: ${r.resolution}`;
    if (r.resolution === 'honor') {
      const s = (await this.session(ctx, c.session_id))!;
      this.change(ctx, s, { capacity: s.capacity + 1 });
      outcome.capacity = s.capacity;
    } else {
      if (sale.held === 1) await this.freeSeat(ctx, sale);
      if (r.resolution === 'move') {
        outcome.moveToSessionId = r.moveToSessionId;
        outcome.moveSaleId = await this.sellMove(ctx, c, sale, r.moveToSessionId!, r.by, eventId);
      } else if (r.resolution === 'waitlist') {
        const entryId = uuidv7();
        const position = await store.addToWaitlist(ctx.tx, {
          id: entryId,
          sessionId: c.session_id,
          registrantId: sale.registrant_id,
          station: c.station,
          caseId: c.id,
          at: ctx.at,
        });
        (await this.waitingSessions(ctx)).add(c.session_id);
        ctx.touched.add(c.session_id); // the end-of-batch sweep promotes them at once if a seat is free
        Object.assign(outcome, { waitlistEntryId: entryId, waitlistPosition: position });
        ctx.events.push({
          type: 'waitlist.added',
          entryId,
          sessionId: c.session_id,
          registrantId: sale.registrant_id,
          position,
        });
      }
      // The badge the person holds carries the seat: every printed version HQ knows of stops working at the doors.
      if (r.resolution !== 'refuse') {
        for (const v of await store.unrevokedPrints(ctx.tx, sale.registrant_id))
          if (await this.revokeBadge(ctx, sale.registrant_id, v, why)) outcome.revokedBadgeVersions.push(v);
      }
    }
    await this.closeCase(ctx, c, sale, r, outcome);
  }

  /** The moved seat: HQ's own sale in the target session, charged to the pool or the requesting station's allotment. */
  private async sellMove(
    ctx: BatchCtx,
    c: store.CaseRecord,
    sale: store.SaleRecord,
    targetId: string,
    requester: string,
    eventId: string,
  ): Promise<string> {
    const t = (await this.session(ctx, targetId))!;
    let charged: store.AllotmentRecord | undefined;
    if (t.sold + (await this.outstandingOf(ctx, t.id)) >= t.capacity) {
      charged = await store.oldestAllotmentWithSeat(ctx.tx, requester, t.id);
      if (charged) {
        await store.useAllotmentSeat(ctx.tx, charged.id);
        this.allotmentsChanged(ctx, t.id);
        await this.reissue(ctx, charged);
      }
    }
    this.change(ctx, t, { sold: t.sold + 1 });
    const id = uuidv7();
    ctx.newSales.set(id, {
      id,
      session_id: t.id,
      station: c.station,
      registrant_id: sale.registrant_id,
      tier: 'move',
      allotment_id: null,
      charged_allotment_id: charged?.id ?? null,
      event_id: eventId,
      verdict: 'confirmed',
      over_by: null,
      held: 1,
      decided_at: ctx.at,
      released_at: null,
    });
    return id;
  }

  private async revokeBadge(ctx: BatchCtx, registrantId: string, version: number, reason: string): Promise<boolean> {
    if (!(await store.recordRevocation(ctx.tx, { registrantId, version, reason, at: ctx.at }))) return false;
    await this.emit(ctx, 'BadgeRevoked', { registrantId, badgeVersion: version, reason: reason.slice(0, 500) });
    ctx.events.push({ type: 'badge.revoked', registrantId, version, reason });
    return true;
  }

  // ---- waitlists --------------------------------------------------------------------------------------------------

  private async waitingSessions(ctx: BatchCtx): Promise<Set<string>> {
    return (ctx.waiting ??= await store.sessionsWithWaiting(ctx.tx));
  }

  /** Gives free seats of the session to the people on its waitlist, in order, never past capacity. */
  private async promoteWaitlist(ctx: BatchCtx, sessionId: string): Promise<void> {
    const waiting = await this.waitingSessions(ctx);
    if (!waiting.has(sessionId)) return;
    const s = (await this.session(ctx, sessionId))!;
    while (s.sold + (await this.outstandingOf(ctx, s.id)) < s.capacity) {
      const e = await store.firstWaiting(ctx.tx, s.id);
      if (!e) {
        waiting.delete(s.id);
        return;
      }
      const saleId = uuidv7();
      ctx.newSales.set(saleId, {
        id: saleId,
        session_id: s.id,
        station: e.station,
        registrant_id: e.registrant_id,
        tier: 'waitlist',
        allotment_id: null,
        charged_allotment_id: null,
        event_id: `waitlist:${e.id}`,
        verdict: 'confirmed',
        over_by: null,
        held: 1,
        decided_at: ctx.at,
        released_at: null,
      });
      this.change(ctx, s, { sold: s.sold + 1 });
      await store.promoteWaiting(ctx.tx, e.id, saleId, ctx.at);
      await this.emit(
        ctx,
        'WaitlistPromoted',
        {
          entryId: e.id,
          sessionId: s.id,
          registrantId: e.registrant_id,
          saleId,
          station: asOrigin(e.station),
          caseId: e.case_id,
        },
        { sessionId: s.id, station: e.station },
      );
      ctx.events.push({
        type: 'waitlist.promoted',
        entryId: e.id,
        sessionId: s.id,
        registrantId: e.registrant_id,
        saleId,
        station: e.station,
      });
    }
  }

  private async grant(ctx: BatchCtx, station: string, p: Payload<'AllotmentRequested'>): Promise<Applied> {
    const s = await this.session(ctx, p.sessionId);
    if (!s) return { ok: false, reason: `unknown session "${p.sessionId}"` };
    const deny = (reason: string): Applied => {
      ctx.events.push({ type: 'allotment.denied', station, sessionId: s.id, asked: p.seats, reason });
      return { ok: true, note: `denied: ${reason}` };
    };
    if (s.sellable !== 1) return deny('the session is not sold at desks');
    if (ctx.nowMs >= Date.parse(s.starts_at) - this.opts.recallBeforeStartMinutes * 60_000)
      return deny('the session starts soon');
    const allotted = await this.outstandingOf(ctx, s.id);
    const minutesToStart = (Date.parse(s.starts_at) - ctx.nowMs) / 60_000;
    const seats = grantSeats(
      {
        asked: p.seats,
        capacity: s.capacity,
        sold: s.sold,
        allotted,
        salesRatePerMin: this.rateNow(s, ctx.nowMs),
        minutesToStart,
      },
      {
        allotmentShare: this.opts.allotmentShare,
        allotmentKeepBack:
          this.opts.allotmentKeepBack === undefined ? defaultGrant.allotmentKeepBack : this.opts.allotmentKeepBack,
      },
    );
    const unallocated = Math.max(0, s.capacity - s.sold - allotted);
    if (seats < 1)
      return deny(
        `${unallocated} unallocated seat(s), none to spare (share ${this.opts.allotmentShare}, forecast demand kept back)`,
      );
    const id = uuidv7();
    await store.insertAllotment(ctx.tx, {
      id,
      station,
      sessionId: s.id,
      requestId: p.requestId,
      seats,
      at: ctx.at,
      note: null,
    });
    await this.emit(
      ctx,
      'AllotmentGranted',
      {
        allotmentId: id,
        requestId: p.requestId,
        station: station as Payload<'AllotmentGranted'>['station'],
        sessionId: s.id,
        seats,
      },
      { sessionId: s.id, station },
    );
    ctx.events.push({ type: 'allotment.granted', allotmentId: id, station, sessionId: s.id, seats, asked: p.seats });
    this.allotmentsChanged(ctx, s.id);
    return { ok: true, note: `granted ${seats} of ${p.seats}` };
  }

  private async returned(ctx: BatchCtx, station: string, p: Payload<'AllotmentReturned'>): Promise<Applied> {
    const a = await store.getAllotment(ctx.tx, p.allotmentId);
    if (!a || a.station !== station) return { ok: true, note: 'no such allotment of this station' };
    if (a.status !== 'active') return { ok: true, note: `allotment already ${a.status}` };
    const unused = a.seats - a.used;
    const note = unused === p.seats ? null : `station returned ${p.seats} seat(s), HQ counted ${unused} unused`;
    await store.closeAllotment(ctx.tx, a.id, 'returned', ctx.at, note);
    ctx.events.push({
      type: 'allotment.closed',
      allotmentId: a.id,
      station,
      sessionId: a.session_id,
      status: 'returned',
      unused,
    });
    this.allotmentsChanged(ctx, a.session_id);
    return { ok: true, note };
  }

  // ---- HQ's own initiatives ---------------------------------------------------------------------------------------

  /**
   * Reclaims allotments of stations silent for longer than `reclaimAfterMinutes`, and recalls allotments of
   * sessions about to start. Either way the unused seats go back to the pool at once and the station is told.
   */
  async housekeeping(): Promise<{ reclaimed: number; recalled: number; decided: number; escalated: number }> {
    const { out, events } = await this.batch(async (ctx) => {
      let reclaimed = 0;
      let recalled = 0;
      const silenceMs = this.opts.reclaimAfterMinutes * 60_000;
      const contact = new Map<string, number>();
      for (const st of await store.listStations(ctx.tx))
        contact.set(st.origin, Math.max(this.startedAt, Date.parse(st.last_event_at ?? st.first_seen_at)));
      const sessions = new Map((await store.listSessions(ctx.tx)).map((s) => [s.id, s]));
      for (const a of await store.listActiveAllotments(ctx.tx)) {
        const last = Math.max(contact.get(a.station) ?? this.startedAt, Date.parse(a.granted_at));
        const s = sessions.get(a.session_id)!;
        let status: 'reclaimed' | 'recalled' | null = null;
        if (ctx.nowMs - last > silenceMs) status = 'reclaimed';
        else if (ctx.nowMs >= Date.parse(s.starts_at) - this.opts.recallBeforeStartMinutes * 60_000)
          status = 'recalled';
        if (!status) continue;
        const why =
          status === 'reclaimed'
            ? `station silent for more than ${this.opts.reclaimAfterMinutes} min`
            : 'the session starts soon';
        await this.closeAllotment(ctx, a, status, why, a.seats - a.used);
        if (status === 'reclaimed') reclaimed++;
        else recalled++;
      }
      const { decided, escalated } = await this.caseDeadlines(ctx);
      return { reclaimed, recalled, decided, escalated };
    });
    this.publishEvents(events);
    return out;
  }

  /**
   * Cases past their deadline get the default action, decided by HQ; cases close to it are escalated to every
   * supervisor (once). Deadlines first: a case decided now needs no alert.
   */
  private async caseDeadlines(ctx: BatchCtx): Promise<{ decided: number; escalated: number }> {
    let decided = 0;
    let escalated = 0;
    for (const c of await store.dueCases(ctx.tx, ctx.at)) {
      const sale = (await this.getSale(ctx, c.sale_id))!;
      const action = (c.default_action ?? 'honor') as DeadlineAction;
      const note = `not resolved by its deadline (${c.due_at ?? '?'}); HQ applied the default action`;
      await this.applyResolution(
        ctx,
        c,
        sale,
        {
          resolution: action,
          by: 'hq',
          decidedBy: 'deadline',
          resolutionId: null,
          supervisorId: null,
          note,
          moveToSessionId: null,
        },
        `deadline:${c.id}`,
      );
      decided++;
    }
    for (const c of await store.casesToEscalate(ctx.tx, ctx.at)) {
      await store.markEscalated(ctx.tx, c.id, ctx.at);
      await this.emit(
        ctx,
        'OversellCaseEscalated',
        {
          caseId: c.id,
          saleId: c.sale_id,
          sessionId: c.session_id,
          dueAt: c.due_at!,
          defaultAction: (c.default_action ?? 'honor') as DeadlineAction,
        },
        { sessionId: c.session_id, station: c.station },
      );
      ctx.events.push({ type: 'case.escalated', caseId: c.id, saleId: c.sale_id, dueAt: c.due_at! });
      escalated++;
    }
    return { decided, escalated };
  }

  /** Recalls one allotment now (operator action); its unused seats go back to the pool. */
  async recall(allotmentId: string): Promise<boolean> {
    const { out, events } = await this.batch(async (ctx) => {
      const a = await store.getAllotment(ctx.tx, allotmentId);
      if (!a || a.status !== 'active') return false;
      await this.closeAllotment(ctx, a, 'recalled', 'recalled by HQ', a.seats - a.used);
      return true;
    });
    this.publishEvents(events);
    return out;
  }

  async heartbeat(): Promise<void> {
    await this.batch(async (ctx) => {
      await this.emit(ctx, 'Heartbeat', { hqTime: ctx.at });
    });
  }

  /**
   * Publishes every session's current numbers without a new version: stations that already hold them ignore it,
   * a station that only has its import's numbers (version 0) takes them.
   */
  async republishAvailability(): Promise<void> {
    const { events } = await this.batch(async (ctx) => {
      for (const s of await store.listSessions(ctx.tx)) await this.emitAvailability(ctx, s);
    });
    this.publishEvents(events);
  }

  /** Sends the conference to one station in chunks addressed to it, then the current availability. */
  async sendSnapshot(stationId: string): Promise<number> {
    const station = `station:${stationId}` as Payload<'ConferenceSnapshotChunk'>['station'];
    const { out, events } = await this.batch(async (ctx) => {
      const conf = await store.getConferenceRow(ctx.tx);
      const sessions = await store.listSessions(ctx.tx);
      const sessionBodies = sessions.map((s) => ({ ...(JSON.parse(s.body) as Session), capacity: s.capacity }));
      const ticketTypes = (await store.listTicketTypes(ctx.tx)).map((b) => JSON.parse(b) as TicketType);
      const size = this.opts.snapshotChunkSize;
      const total = await store.countRegistrants(ctx.tx);
      const of = Math.max(1, Math.ceil(total / size));
      let after: string | null = null;
      for (let chunk = 0; chunk < of; chunk++) {
        const page = await store.registrantPage(ctx.tx, after, size);
        after = page.at(-1)?.id ?? after;
        await this.emit(
          ctx,
          'ConferenceSnapshotChunk',
          {
            station,
            chunk,
            of,
            conference: chunk === 0 ? (JSON.parse(conf!.body) as ConferenceFile['conference']) : null,
            sessions: chunk === 0 ? sessionBodies : [],
            ticketTypes: chunk === 0 ? ticketTypes : [],
            registrants: page.map((r) => JSON.parse(r.body) as Registrant),
          },
          { station },
        );
      }
      for (const s of sessions) await this.emitAvailability(ctx, s);
      // The conference's cases so far (a station hears of every case); stations that hold them already ignore them.
      for (const c of await store.listCases(ctx.tx)) {
        const registrantId = c.registrant_id ?? (await this.getSale(ctx, c.sale_id))!.registrant_id;
        await this.emit(ctx, 'OversellCaseOpened', caseOpenedPayload(c, registrantId), {
          sessionId: c.session_id,
          station: c.station,
        });
        if (c.status === 'resolved')
          await this.emit(
            ctx,
            'OversellCaseResolved',
            caseResolvedPayload(
              c,
              registrantId,
              c.outcome_json ? (JSON.parse(c.outcome_json) as CaseOutcome) : noOutcome(),
            ),
            { sessionId: c.session_id, station: c.station },
          );
      }
      await store.ensureStation(ctx.tx, station, ctx.at);
      await store.updateStation(ctx.tx, station, { snapshot_sent_at: ctx.at });
      ctx.events.push({ type: 'snapshot', station, chunks: of });
      return of;
    });
    this.publishEvents(events);
    return out;
  }

  /** Sends the snapshot to each listed station that has never had one and never sent an event. */
  async snapshotsForNewcomers(stationIds: string[]): Promise<string[]> {
    const sent: string[] = [];
    for (const id of stationIds) {
      const st = await store.getStation(this.db, `station:${id}`);
      if (st && (st.snapshot_sent_at !== null || st.next_seq > 1)) continue;
      await this.sendSnapshot(id);
      sent.push(id);
    }
    return sent;
  }

  // ---- feed outbox ----------------------------------------------------------------------------------------------

  unsentFeed(limit: number): Promise<store.FeedRow[]> {
    return store.unsentFeed(this.db, limit);
  }

  markFeedSent(seqs: number[]): Promise<void> {
    return store.markFeedSent(this.db, seqs, this.iso());
  }

  private async emit<T extends FeedMessageType>(
    ctx: BatchCtx,
    type: T,
    payload: Payload<T>,
    route: { sessionId?: string; station?: string } = {},
  ): Promise<void> {
    ctx.feedSeq = (ctx.feedSeq ?? (await store.getCounter(ctx.tx, 'feed'))) + 1;
    const seq = ctx.feedSeq;
    const id = uuidv7();
    const envelope = {
      id,
      type,
      schema: schemaVersion[type],
      conferenceId: ctx.conferenceId,
      origin: 'hq',
      seq,
      at: ctx.at,
      payload,
    };
    ctx.feedRows.push({
      seq,
      id,
      type,
      sessionId: route.sessionId ?? null,
      station: route.station ?? null,
      body: JSON.stringify(envelope),
      at: ctx.at,
    });
  }

  /** One SeatAvailability per changed session per transaction, with the next version. */
  private async flushAvailability(ctx: BatchCtx): Promise<void> {
    for (const id of ctx.touched) {
      const s = (await this.session(ctx, id))!;
      this.change(ctx, s, { version: s.version + 1 });
      await this.emitAvailability(ctx, s);
    }
  }

  private async emitAvailability(ctx: BatchCtx, s: store.SessionRecord): Promise<void> {
    const allotted = await this.outstandingOf(ctx, s.id);
    const salesRatePerMin = Math.round(this.rateNow(s, ctx.nowMs) * 10_000) / 10_000;
    await this.emit(
      ctx,
      'SeatAvailability',
      { sessionId: s.id, capacity: s.capacity, sold: s.sold, allotted, version: s.version, salesRatePerMin },
      { sessionId: s.id },
    );
    ctx.events.push({
      type: 'availability',
      sessionId: s.id,
      capacity: s.capacity,
      sold: s.sold,
      allotted,
      version: s.version,
      salesRatePerMin,
    });
  }

  // ---- the sales rate μ: an exponentially weighted rate of sales per minute --------------------------------------

  /** r(t) = r(t0)·e^(−(t−t0)/τ) + 1/τ at each sale, so a steady λ sales/min reads λ on average. */
  private bumpRate(s: store.SessionRecord, nowMs: number): { rate: number; rate_at: number } {
    return { rate: this.rateNow(s, nowMs) + 1 / this.opts.salesRateWindowMinutes, rate_at: nowMs };
  }

  private rateNow(s: Pick<store.SessionRecord, 'rate' | 'rate_at'>, nowMs: number): number {
    if (s.rate_at === null) return 0;
    const dtMin = Math.max(0, nowMs - s.rate_at) / 60_000;
    return s.rate * Math.exp(-dtMin / this.opts.salesRateWindowMinutes);
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  // ---- read side (status, tests, the demo) ------------------------------------------------------------------------

  async view() {
    const q = this.db;
    const sessions = await store.listSessions(q);
    const nowMs = this.now();
    return {
      sessions: await Promise.all(
        sessions.map(async (s) => ({
          id: s.id,
          capacity: s.capacity,
          sold: s.sold,
          baseSold: s.base_sold,
          allotted: await store.outstanding(q, s.id),
          version: s.version,
          salesRatePerMin: this.rateNow(s, nowMs),
        })),
      ),
      sales: await store.listSales(q),
      cases: await store.listCases(q),
      waitlist: await store.listWaitlist(q),
      badgePrints: await store.listBadgePrints(q),
      allotments: await store.listAllotments(q),
      stations: await store.listStations(q),
      parked: await store.listParked(q),
      deadLetters: await store.listDeadLetters(q),
      inbox: await store.inboxCounts(q),
      feed: await store.feedCounts(q),
    };
  }

  async feedOfType(
    type: FeedMessageType,
  ): Promise<{ seq: number; id: string; station: string | null; payload: unknown }[]> {
    return (await store.feedOfType(this.db, type)).map((r) => ({
      seq: r.seq,
      id: r.id,
      station: r.station,
      payload: (JSON.parse(r.body) as { payload: unknown }).payload,
    }));
  }
}

function caseOpenedPayload(c: store.CaseRecord, registrantId: string): Payload<'OversellCaseOpened'> {
  return {
    caseId: c.id,
    saleId: c.sale_id,
    sessionId: c.session_id,
    station: asOrigin(c.station),
    overBy: c.over_by,
    registrantId,
    tier: (c.tier ?? 'overdraft') as SaleTier,
    basis: c.basis_json ? (JSON.parse(c.basis_json) as SaleBasis) : null,
    dueAt: c.due_at ?? c.opened_at,
    defaultAction: (c.default_action ?? 'honor') as DeadlineAction,
  };
}

function caseResolvedPayload(
  c: store.CaseRecord,
  registrantId: string,
  outcome: CaseOutcome,
): Payload<'OversellCaseResolved'> {
  return {
    caseId: c.id,
    saleId: c.sale_id,
    sessionId: c.session_id,
    registrantId,
    station: asOrigin(c.station),
    resolution: c.resolution as Resolution,
    by: asOrigin(c.resolved_by ?? 'hq'),
    decidedBy: c.decided_by ?? 'station',
    resolutionId: c.resolution_id,
    supervisorId: c.supervisor_id,
    note: (c.note ?? '').slice(0, 1000),
    outcome,
  };
}
