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
 * - otherwise the sale is oversold: it counts as sold (the person holds a badge) and a case is opened.
 */
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { ConferenceFile, Registrant, Session, TicketType } from '../core/conference';
import { Origin } from '../core/ids';
import type { Envelope, FeedMessageType, ParseResult, Payload, StationEventType } from '../core/messages';
import { parseEnvelope, schemaVersion, stationEventTypes } from '../core/messages';
import type { HqConfig } from './config';
import type { HqDb, HqTx } from './store/db';
import type { HqWriter } from './store/writer';
import * as store from './store/ledger-store';

export type Disposition = { action: 'complete'; note: string | null } | { action: 'deadLetter'; reason: string };

export interface Incoming {
  /** The bus message id (for the dead-letter record); the envelope id is what the inbox keys on. */
  messageId: string | null;
  body: string;
}

/** What happened, for logs and the demo's timeline; emitted after the transaction committed. */
export type LedgerEvent =
  | { type: 'verdict'; saleId: string; sessionId: string; station: string; tier: string; verdict: 'confirmed' | 'oversold'; overBy: number | null; via: 'allotment' | 'pool' | 'own-allotment' | 'over' }
  | { type: 'case.opened'; caseId: string; saleId: string; sessionId: string; station: string; overBy: number }
  | { type: 'case.resolved'; caseId: string; saleId: string; resolution: string; by: string }
  | { type: 'released'; saleId: string; sessionId: string; station: string }
  | { type: 'allotment.granted'; allotmentId: string; station: string; sessionId: string; seats: number; asked: number | null }
  | { type: 'allotment.denied'; station: string; sessionId: string; asked: number; reason: string }
  | { type: 'allotment.closed'; allotmentId: string; station: string; sessionId: string; status: 'returned' | 'recalled' | 'reclaimed' | 'reissued'; unused: number }
  | { type: 'registrant'; registrantId: string; station: string }
  | { type: 'parked'; origin: string; seq: number; waitingFor: number }
  | { type: 'duplicate'; origin: string | null; seq: number | null; id: string }
  | { type: 'dead-letter'; origin: string | null; seq: number | null; reason: string }
  | { type: 'availability'; sessionId: string; capacity: number; sold: number; allotted: number; version: number; salesRatePerMin: number }
  | { type: 'snapshot'; station: string; chunks: number };

export type LedgerOptions = Pick<HqConfig, 'allotmentShare' | 'reclaimAfterMinutes' | 'recallBeforeStartMinutes' | 'salesRateWindowMinutes' | 'snapshotChunkSize'> & {
  now?: () => number;
};

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
  inboxRows: store.InboxInsert[];
  feedRows: store.FeedInsert[];
  /** Sales and cases decided in this batch, inserted at its end (a release in the same batch edits them here). */
  newSales: Map<string, store.SaleRecord>;
  newCases: Map<string, store.CaseRecord>;
}

const Head = z.object({ id: z.string().min(1).max(128), origin: Origin, seq: z.number().int().min(1) });

type Applied = { ok: true; note: string | null } | { ok: false; reason: string };

export class Ledger {
  private readonly now: () => number;
  /** Silence is measured from no earlier than this: a restarted HQ does not reclaim from everyone at once. */
  private readonly startedAt: number;
  private conferenceId: string | null = null;
  private listeners: ((e: LedgerEvent) => void)[] = [];

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
          throw new Error(`this HQ database holds conference "${existing.id}", not "${file.conference.id}"; use a new database`);
        }
        return 'kept' as const;
      }
      const at = this.iso();
      await store.insertConference(tx, file.conference.id, JSON.stringify(file.conference), at);
      for (const t of file.ticketTypes) await store.upsertTicketType(tx, t.id, JSON.stringify(t));
      const held = new Map<string, number>();
      for (const reg of file.registrants) for (const s of reg.sessions) held.set(s, (held.get(s) ?? 0) + 1);
      for (const s of file.sessions) {
        await store.insertSession(tx, { id: s.id, body: JSON.stringify(s), startsAt: s.startsAt, capacity: s.capacity, sellable: s.sellable, baseSold: held.get(s.id) ?? 0 });
      }
      await store.insertRegistrants(tx, file.registrants.map((x) => ({ id: x.id, body: JSON.stringify(x) })), 'import', at);
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
        tx, nowMs, at: new Date(nowMs).toISOString(), conferenceId, touched: new Set(), events: [], sessions: new Map(), dirtySessions: new Set(),
        outstanding: new Map(), stations: new Map(), parkedOrigins: new Map(), feedSeq: null, seenIds: new Set(), knownSales: new Set(),
        inboxRows: [], feedRows: [], newSales: new Map(), newCases: new Map(),
      };
      const out = await fn(ctx);
      await this.flushAvailability(ctx);
      for (const id of ctx.dirtySessions) {
        const s = ctx.sessions.get(id)!;
        await store.updateSession(tx, id, { sold: s.sold, capacity: s.capacity, version: s.version, rate: s.rate, rate_at: s.rate_at });
      }
      for (const [origin, st] of ctx.stations) if (st.dirty) await store.updateStation(tx, origin, { next_seq: st.next_seq, last_event_at: st.last_event_at });
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
    const head = parsed.ok ? { success: true as const, data: { id: parsed.envelope.id, origin: parsed.envelope.origin, seq: parsed.envelope.seq } } : Head.safeParse(raw);
    if (!head.success) return this.deadLetter(ctx, m, null, parsed.ok ? 'invalid envelope head' : parsed.reason);
    const { id, origin, seq } = head.data;
    if (origin === 'hq') return this.deadLetter(ctx, m, head.data, 'a station event cannot have origin "hq"');
    if (ctx.seenIds.has(id)) {
      ctx.events.push({ type: 'duplicate', origin, seq, id });
      return { action: 'complete', note: 'duplicate (already in the inbox)' };
    }
    if (parsed.ok && parsed.envelope.conferenceId !== ctx.conferenceId) {
      return this.deadLetter(ctx, m, head.data, `for conference "${parsed.envelope.conferenceId}", not "${ctx.conferenceId}"`);
    }
    const station = await this.station(ctx, origin);
    station.last_event_at = ctx.at;
    station.dirty = true;
    if (seq < station.next_seq) return this.deadLetter(ctx, m, head.data, `seq ${seq} of ${origin} was already applied with another event id`);
    if (seq > station.next_seq) {
      const parked = (await this.mayHaveParked(ctx, origin)) ? await store.getParked(ctx.tx, origin, seq) : undefined;
      if (parked) {
        if (parked.id === id) {
          ctx.events.push({ type: 'duplicate', origin, seq, id });
          return { action: 'complete', note: 'duplicate (already parked)' };
        }
        return this.deadLetter(ctx, m, head.data, `seq ${seq} of ${origin} is already held with another event id`);
      }
      await store.insertParked(ctx.tx, { origin, seq, id, body: m.body, poison: parsed.ok ? null : parsed.reason, at: ctx.at });
      ctx.parkedOrigins.set(origin, true);
      ctx.events.push({ type: 'parked', origin, seq, waitingFor: station.next_seq });
      // A poison event ahead of a gap is dead-lettered now; its place in the stream is kept so the gap can close.
      if (!parsed.ok) return this.deadLetter(ctx, m, head.data, parsed.reason);
      return { action: 'complete', note: `parked until seq ${station.next_seq} of ${origin} arrives` };
    }
    // In order: apply it, then whatever was parked behind it.
    const first = await this.applyInOrder(ctx, origin, id, seq, parsed, m);
    let next = seq + 1;
    while (await this.mayHaveParked(ctx, origin)) {
      const p = await store.getParked(ctx.tx, origin, next);
      if (!p) break;
      await store.deleteParked(ctx.tx, origin, next);
      // Its bus message was settled when it was parked (completed, or dead-lettered if poison).
      await this.applyInOrder(ctx, origin, p.id, next, p.poison === null ? parseEnvelope(JSON.parse(p.body), stationEventTypes) : { ok: false, reason: p.poison }, null);
      next++;
    }
    if (next > seq + 1) ctx.parkedOrigins.delete(origin); // re-checked on the next use
    station.next_seq = next;
    return first;
  }

  /** Applies the event at the head of its origin's stream; poison and rejected events are recorded and skipped. */
  private async applyInOrder(ctx: BatchCtx, origin: string, id: string, seq: number, parsed: ParseResult<StationEventType>, m: Incoming | null): Promise<Disposition> {
    const r: Applied = parsed.ok ? await this.apply(ctx, parsed.envelope) : { ok: false, reason: parsed.reason };
    const type = parsed.ok ? parsed.envelope.type : 'invalid';
    ctx.inboxRows.push({ id, origin, seq, type, status: r.ok ? 'applied' : 'rejected', note: r.ok ? r.note : r.reason, at: ctx.at });
    ctx.seenIds.add(id);
    if (r.ok) return { action: 'complete', note: r.note };
    if (m === null) return { action: 'complete', note: r.reason }; // a parked poison event: dead-lettered when parked
    return this.deadLetter(ctx, m, { id, origin, seq }, r.reason);
  }

  private async deadLetter(ctx: BatchCtx, m: Incoming, head: { id: string; origin: string; seq: number } | null, reason: string): Promise<Disposition> {
    await store.insertDeadLetter(ctx.tx, { messageId: m.messageId, eventId: head?.id ?? null, origin: head?.origin ?? null, seq: head?.seq ?? null, reason, body: m.body.slice(0, 64_000), at: ctx.at });
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
        return this.resolve(ctx, env.origin, env.payload);
      case 'RegistrantRegistered': {
        const r = env.payload.registrant;
        await store.upsertRegistrant(ctx.tx, r.id, JSON.stringify(r), env.origin, ctx.at);
        await this.emit(ctx, 'RegistrantUpserted', { registrant: r });
        ctx.events.push({ type: 'registrant', registrantId: r.id, station: env.origin });
        return { ok: true, note: null };
      }
      case 'StationHello': {
        const p = env.payload;
        if (`station:${p.stationId}` !== env.origin) return { ok: false, reason: `StationHello for "${p.stationId}" sent by ${env.origin}` };
        await store.updateStation(ctx.tx, env.origin, { key_id: p.keyId, public_key: p.publicKey });
        const keys = (await store.listStations(ctx.tx))
          .filter((s) => s.key_id !== null && s.public_key !== null)
          .map((s) => ({ keyId: s.key_id!, station: s.origin, publicKey: s.public_key! }));
        await this.emit(ctx, 'StationKeys', { keys });
        return { ok: true, note: null };
      }
      case 'BadgeVoided':
        await this.emit(ctx, 'BadgeRevoked', { registrantId: env.payload.registrantId, badgeVersion: env.payload.badgeVersion });
        return { ok: true, note: null };
      case 'BadgePrinted':
        // Every station hears of every print: a kiosk elsewhere will not print it again, and two stations that
        // printed the same badge while apart find out (DESIGN §9).
        await this.emit(ctx, 'BadgePrintRecorded', { registrantId: env.payload.registrantId, badgeVersion: env.payload.badgeVersion, station: env.origin, jobId: env.payload.jobId, printedAt: env.at });
        return { ok: true, note: null };
      case 'RegistrationUpgraded':
      case 'CheckedIn':
        return { ok: true, note: 'recorded' };
    }
  }

  private async sell(ctx: BatchCtx, station: string, eventId: string, p: Payload<'SeatSold'>): Promise<Applied> {
    const s = await this.session(ctx, p.sessionId);
    if (!s) return { ok: false, reason: `unknown session "${p.sessionId}"` };
    if (ctx.knownSales.has(p.saleId)) {
      const prior = (await this.getSale(ctx, p.saleId))!;
      return prior.station === station ? { ok: true, note: `sale already decided (${prior.verdict})` } : { ok: false, reason: `sale id ${p.saleId} belongs to ${prior.station}` };
    }
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
      via = charged ? 'own-allotment' : 'over';
    }
    const verdict = via === 'over' ? 'oversold' : 'confirmed';
    const overBy = via === 'over' ? s.sold + out + 1 - s.capacity : null;
    if (charged) {
      await store.useAllotmentSeat(ctx.tx, charged.id);
      this.allotmentsChanged(ctx, s.id);
    }
    this.change(ctx, s, { sold: s.sold + 1, ...this.bumpRate(s, ctx.nowMs) });
    ctx.knownSales.add(p.saleId);
    ctx.newSales.set(p.saleId, {
      id: p.saleId, session_id: s.id, station, registrant_id: p.registrantId, tier: p.tier, allotment_id: p.allotmentId, charged_allotment_id: charged?.id ?? null,
      event_id: eventId, verdict, over_by: overBy, held: 1, decided_at: ctx.at, released_at: null,
    });
    // The station may or may not have charged that seat itself (it does when its wait for the verdict timed out):
    // re-issue the allotment so both sides count the same. Sent before the verdict, so the station's allotment is
    // closed by the time it hears the sale was confirmed.
    if (via === 'own-allotment') await this.reissue(ctx, charged!);
    let caseId: string | null = null;
    if (verdict === 'confirmed') {
      await this.emit(ctx, 'SaleConfirmed', { saleId: p.saleId, sessionId: s.id }, { sessionId: s.id, station });
    } else {
      await this.emit(ctx, 'SaleOversold', { saleId: p.saleId, sessionId: s.id, station: station as Payload<'SaleOversold'>['station'], overBy: overBy! }, { sessionId: s.id, station });
      caseId = uuidv7();
      ctx.newCases.set(p.saleId, { id: caseId, sale_id: p.saleId, session_id: s.id, station, over_by: overBy!, status: 'open', resolution: null, resolved_by: null, opened_at: ctx.at, resolved_at: null });
      await this.emit(ctx, 'OversellCaseOpened', { caseId, saleId: p.saleId, sessionId: s.id, station: station as Payload<'OversellCaseOpened'>['station'], overBy: overBy! }, { sessionId: s.id, station });
    }
    ctx.events.push({ type: 'verdict', saleId: p.saleId, sessionId: s.id, station, tier: p.tier, verdict, overBy, via });
    if (caseId !== null) ctx.events.push({ type: 'case.opened', caseId, saleId: p.saleId, sessionId: s.id, station, overBy: overBy! });
    return { ok: true, note: `${verdict} (${via})` };
  }

  private async reissue(ctx: BatchCtx, a: store.AllotmentRecord): Promise<void> {
    const remaining = a.seats - (a.used + 1);
    await store.closeAllotment(ctx.tx, a.id, 'reissued', ctx.at, 'a seat was charged for a sale the pool could not cover');
    this.allotmentsChanged(ctx, a.session_id);
    await this.emit(ctx, 'AllotmentRecalled', { allotmentId: a.id, station: a.station as Payload<'AllotmentRecalled'>['station'], sessionId: a.session_id }, { sessionId: a.session_id, station: a.station });
    ctx.events.push({ type: 'allotment.closed', allotmentId: a.id, station: a.station, sessionId: a.session_id, status: 'reissued', unused: remaining });
    if (remaining > 0) {
      const id = uuidv7();
      await store.insertAllotment(ctx.tx, { id, station: a.station, sessionId: a.session_id, requestId: null, seats: remaining, at: ctx.at, note: `re-issued from ${a.id}` });
      await this.emit(ctx, 'AllotmentGranted', { allotmentId: id, requestId: null, station: a.station as Payload<'AllotmentGranted'>['station'], sessionId: a.session_id, seats: remaining }, { sessionId: a.session_id, station: a.station });
      ctx.events.push({ type: 'allotment.granted', allotmentId: id, station: a.station, sessionId: a.session_id, seats: remaining, asked: null });
    }
  }

  private async release(ctx: BatchCtx, station: string, p: Payload<'SeatReleased'>): Promise<Applied> {
    const sale = await this.getSale(ctx, p.saleId);
    if (!sale) return { ok: true, note: 'unknown sale; nothing to release' };
    if (sale.station !== station) return { ok: false, reason: `sale ${p.saleId} belongs to ${sale.station}, not ${station}` };
    if (sale.held === 0) return { ok: true, note: 'already released' };
    await this.freeSeat(ctx, sale);
    // An oversold online sale the desk refused before handing it out: its case closes with that.
    const c = await this.getCase(ctx, sale.id);
    if (c && c.status === 'open') await this.closeCase(ctx, c, 'refuse', station);
    return { ok: true, note: null };
  }

  private async freeSeat(ctx: BatchCtx, sale: store.SaleRecord): Promise<void> {
    const s = (await this.session(ctx, sale.session_id))!;
    const pending = ctx.newSales.get(sale.id);
    if (pending) Object.assign(pending, { held: 0, released_at: ctx.at });
    else await store.releaseSale(ctx.tx, sale.id, ctx.at);
    this.change(ctx, s, { sold: Math.max(0, s.sold - 1) });
    ctx.events.push({ type: 'released', saleId: sale.id, sessionId: s.id, station: sale.station });
  }

  private async closeCase(ctx: BatchCtx, c: store.CaseRecord, resolution: Payload<'OversellCaseResolved'>['resolution'], by: string): Promise<void> {
    const pending = ctx.newCases.get(c.sale_id);
    if (pending) Object.assign(pending, { status: 'resolved', resolution, resolved_by: by, resolved_at: ctx.at });
    else await store.resolveCase(ctx.tx, c.id, resolution, by, ctx.at);
    await this.emit(ctx, 'OversellCaseResolved', { caseId: c.id, saleId: c.sale_id, resolution, by: by as Payload<'OversellCaseResolved'>['by'] }, { sessionId: c.session_id, station: c.station });
    ctx.events.push({ type: 'case.resolved', caseId: c.id, saleId: c.sale_id, resolution, by });
  }

  private async resolve(ctx: BatchCtx, station: string, p: Payload<'OversellResolved'>): Promise<Applied> {
    const c = await this.getCase(ctx, p.saleId);
    if (!c) return { ok: true, note: 'no oversell case for this sale' };
    if (c.status === 'resolved') return { ok: true, note: `case already resolved (${c.resolution ?? '?'}); the first resolution wins` };
    const sale = (await this.getSale(ctx, p.saleId))!;
    if (p.resolution === 'honor') {
      const s = (await this.session(ctx, c.session_id))!;
      this.change(ctx, s, { capacity: s.capacity + 1 });
    } else if (sale.held === 1) {
      await this.freeSeat(ctx, sale);
    }
    await this.closeCase(ctx, c, p.resolution, station);
    return { ok: true, note: null };
  }

  private async grant(ctx: BatchCtx, station: string, p: Payload<'AllotmentRequested'>): Promise<Applied> {
    const s = await this.session(ctx, p.sessionId);
    if (!s) return { ok: false, reason: `unknown session "${p.sessionId}"` };
    const deny = (reason: string): Applied => {
      ctx.events.push({ type: 'allotment.denied', station, sessionId: s.id, asked: p.seats, reason });
      return { ok: true, note: `denied: ${reason}` };
    };
    if (s.sellable !== 1) return deny('the session is not sold at desks');
    if (ctx.nowMs >= Date.parse(s.starts_at) - this.opts.recallBeforeStartMinutes * 60_000) return deny('the session starts soon');
    const unallocated = s.capacity - s.sold - (await this.outstandingOf(ctx, s.id));
    const seats = Math.min(p.seats, Math.floor(this.opts.allotmentShare * Math.max(0, unallocated)));
    if (seats < 1) return deny(`${Math.max(0, unallocated)} unallocated seat(s); share ${this.opts.allotmentShare} gives none`);
    const id = uuidv7();
    await store.insertAllotment(ctx.tx, { id, station, sessionId: s.id, requestId: p.requestId, seats, at: ctx.at, note: null });
    await this.emit(ctx, 'AllotmentGranted', { allotmentId: id, requestId: p.requestId, station: station as Payload<'AllotmentGranted'>['station'], sessionId: s.id, seats }, { sessionId: s.id, station });
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
    ctx.events.push({ type: 'allotment.closed', allotmentId: a.id, station, sessionId: a.session_id, status: 'returned', unused });
    this.allotmentsChanged(ctx, a.session_id);
    return { ok: true, note };
  }

  // ---- HQ's own initiatives ---------------------------------------------------------------------------------------

  /**
   * Reclaims allotments of stations silent for longer than `reclaimAfterMinutes`, and recalls allotments of
   * sessions about to start. Either way the unused seats go back to the pool at once and the station is told.
   */
  async housekeeping(): Promise<{ reclaimed: number; recalled: number }> {
    const { out, events } = await this.batch(async (ctx) => {
      let reclaimed = 0;
      let recalled = 0;
      const silenceMs = this.opts.reclaimAfterMinutes * 60_000;
      const contact = new Map<string, number>();
      for (const st of await store.listStations(ctx.tx)) contact.set(st.origin, Math.max(this.startedAt, Date.parse(st.last_event_at ?? st.first_seen_at)));
      const sessions = new Map((await store.listSessions(ctx.tx)).map((s) => [s.id, s]));
      for (const a of await store.listActiveAllotments(ctx.tx)) {
        const last = Math.max(contact.get(a.station) ?? this.startedAt, Date.parse(a.granted_at));
        const s = sessions.get(a.session_id)!;
        let status: 'reclaimed' | 'recalled' | null = null;
        if (ctx.nowMs - last > silenceMs) status = 'reclaimed';
        else if (ctx.nowMs >= Date.parse(s.starts_at) - this.opts.recallBeforeStartMinutes * 60_000) status = 'recalled';
        if (!status) continue;
        const why = status === 'reclaimed' ? `station silent for more than ${this.opts.reclaimAfterMinutes} min` : 'the session starts soon';
        await store.closeAllotment(ctx.tx, a.id, status, ctx.at, why);
        await this.emit(ctx, 'AllotmentRecalled', { allotmentId: a.id, station: a.station as Payload<'AllotmentRecalled'>['station'], sessionId: a.session_id }, { sessionId: a.session_id, station: a.station });
        ctx.events.push({ type: 'allotment.closed', allotmentId: a.id, station: a.station, sessionId: a.session_id, status, unused: a.seats - a.used });
        this.allotmentsChanged(ctx, a.session_id);
        if (status === 'reclaimed') reclaimed++;
        else recalled++;
      }
      return { reclaimed, recalled };
    });
    this.publishEvents(events);
    return out;
  }

  /** Recalls one allotment now (operator action); its unused seats go back to the pool. */
  async recall(allotmentId: string): Promise<boolean> {
    const { out, events } = await this.batch(async (ctx) => {
      const a = await store.getAllotment(ctx.tx, allotmentId);
      if (!a || a.status !== 'active') return false;
      await store.closeAllotment(ctx.tx, a.id, 'recalled', ctx.at, 'recalled by HQ');
      await this.emit(ctx, 'AllotmentRecalled', { allotmentId: a.id, station: a.station as Payload<'AllotmentRecalled'>['station'], sessionId: a.session_id }, { sessionId: a.session_id, station: a.station });
      ctx.events.push({ type: 'allotment.closed', allotmentId: a.id, station: a.station, sessionId: a.session_id, status: 'recalled', unused: a.seats - a.used });
      this.allotmentsChanged(ctx, a.session_id);
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

  private async emit<T extends FeedMessageType>(ctx: BatchCtx, type: T, payload: Payload<T>, route: { sessionId?: string; station?: string } = {}): Promise<void> {
    ctx.feedSeq = (ctx.feedSeq ?? (await store.getCounter(ctx.tx, 'feed'))) + 1;
    const seq = ctx.feedSeq;
    const id = uuidv7();
    const envelope = { id, type, schema: schemaVersion[type], conferenceId: ctx.conferenceId, origin: 'hq', seq, at: ctx.at, payload };
    ctx.feedRows.push({ seq, id, type, sessionId: route.sessionId ?? null, station: route.station ?? null, body: JSON.stringify(envelope), at: ctx.at });
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
    await this.emit(ctx, 'SeatAvailability', { sessionId: s.id, capacity: s.capacity, sold: s.sold, allotted, version: s.version, salesRatePerMin }, { sessionId: s.id });
    ctx.events.push({ type: 'availability', sessionId: s.id, capacity: s.capacity, sold: s.sold, allotted, version: s.version, salesRatePerMin });
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
        sessions.map(async (s) => ({ id: s.id, capacity: s.capacity, sold: s.sold, baseSold: s.base_sold, allotted: await store.outstanding(q, s.id), version: s.version, salesRatePerMin: this.rateNow(s, nowMs) })),
      ),
      sales: await store.listSales(q),
      cases: await store.listCases(q),
      allotments: await store.listAllotments(q),
      stations: await store.listStations(q),
      parked: await store.listParked(q),
      deadLetters: await store.listDeadLetters(q),
      inbox: await store.inboxCounts(q),
      feed: await store.feedCounts(q),
    };
  }

  async feedOfType(type: FeedMessageType): Promise<{ seq: number; id: string; station: string | null; payload: unknown }[]> {
    return (await store.feedOfType(this.db, type)).map((r) => ({ seq: r.seq, id: r.id, station: r.station, payload: (JSON.parse(r.body) as { payload: unknown }).payload }));
  }
}
