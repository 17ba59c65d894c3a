/**
 * What every handler is given: the database, the station's identity, the clock, and small shared services.
 * Built once by createStation (the composition root).
 */
import type { DatabaseIntegrity, SettingsField, StationSettings } from '../../core/api';
import type { StationMode } from '../../core/access';
import { actorOf, type Caller } from '../../core/access';
import { defaultPolicy, SalePolicyParams } from '../../core/conference';
import { contactGapMin, noOutages, outageLimits, recordOutage, type OutageHistory } from '../../core/allotment-sizing';
import type { Clock, HqContact, Staleness } from '../../core/staleness';
import { estimateStaleness } from '../../core/staleness';
import { DomainError } from '../../core/result';
import type { Db, OpenedDb, Tx } from '../store/db';
import type { SyncEngine } from '../sync/sync-engine';
import type { SyncConfig } from '../sync/config';
import type { SyncWatch } from './sync-watch';
import type { AuditEntry, AuditWriter } from '../store/audit';
import { getConference, type RegistrantWriter } from '../store/catalog';
import type { Payload, StationEventType, Envelope } from '../../core/messages';
import { getValue, setValue, type EventOrigin, type OutboxWriter } from '../store/queues';
import type { SaleWriter } from '../store/sales';
import type { FeedWriter } from '../store/feed';
import type { PaymentWriter } from '../store/money';
import type { StaffReader } from '../store/staff';

import type { StationEvents } from './events';

export interface StationContext {
  db: Db;
  /** Runs one command's transaction on the station's connection (`commandLane` in store/db.ts); see `inTx`. */
  command: OpenedDb['command'];
  /** Bulk registrant writes (prepared statements); use inside `inTx`. */
  registrants: RegistrantWriter;
  /** The outbox, the audit chain, payments and a sale's reads and writes as prepared statements; inside `inTx`. */
  outbox: OutboxWriter;
  auditLog: AuditWriter;
  payments: PaymentWriter;
  sales: SaleWriter;
  /** The staff member a command names (`actor`); inside `inTx`. */
  staff: StaffReader;
  /** The feed's inbox, availability and verdict statements, prepared; inside `inTx`. */
  feed: FeedWriter;
  stationId: string;
  clock: Clock;
  /** Connected and the feed is current (fed by the sync engine; false when headless). */
  isOnline(): boolean;
  /** The station's event stream: handlers emit, screens and the sync engine subscribe. */
  events: StationEvents;
  /** What the screens are told about this station (mode, printers, idle times). */
  settings: StationSettings;
  /** This station's adjustments to the conference's sale policy (a session's own settings still win). */
  policyOverrides: Partial<SalePolicyParams>;
  verdicts: VerdictWaiters;
  /**
   * The sync engine, when sync is configured (set once the station is built), its configuration, and `watch`: the
   * link's history and the backlog draining since it came back (the supervisor's sync screen).
   */
  sync: { engine: SyncEngine | null; config: SyncConfig | null; watch: SyncWatch };
  /** The database's integrity verdict (checked when the station opens; see create-station.ts). */
  integrity: StationIntegrity;
  /** Where `settings.save` keeps the setup (the shell's: main/runtime/settings-store.ts); absent: nothing can be saved. */
  settingsStore: SettingsStore | null;
  /** Saved since the station started, to take effect at the next start (station id, mode, connection). */
  pendingRestart: Set<SettingsField>;
}

/** A change to the station's saved setup, validated (and a new connection string tested) before it gets here. */
export interface SettingsChange {
  stationId?: string;
  mode?: StationMode;
  /** `null` removes the connection. */
  connectionString?: string | null;
  printers?: string[];
  policy?: Partial<SalePolicyParams>;
}

/** The shell's settings store (a file in the data folder; the desktop app seals the secret). */
export interface SettingsStore {
  save(change: SettingsChange): Promise<void>;
}

export interface StationIntegrity {
  /** `checking` until the check at open has answered (a large database is checked in the background). */
  state: 'checking' | 'ok' | 'damaged';
  problems: string[];
  /** Resolves when the check at open has answered. */
  settled: Promise<void>;
  /** Records a failed check (at open, by audit-verify, or an SQLite error that says the file is corrupt). */
  markDamaged(problems: string[]): void;
  /** SQLite's full integrity_check now, on the station's connection (audit-verify); a failure is recorded. */
  checkNow(): { ok: boolean; problems: string[] };
}

/** What staff read when the database failed its check: what happened, that nothing was saved, what to do. */
export function damagedMessage(problems: string[]): string {
  const what = problems[0] ? ` (${problems[0].slice(0, 160)})` : '';
  return `The station database is damaged${what}; nothing was saved. Stop selling on this station and restore the last backup (or set the station up again and let HQ send the conference).`;
}

/** What staff read when another program held the database longer than the busy timeout. */
export const BUSY_MESSAGE =
  'The station database is busy: another program is writing to it. Nothing was saved; try again in a moment.';

export function integrityView(ctx: StationContext): DatabaseIntegrity {
  const { state, problems } = ctx.integrity;
  return { state, problems, message: state === 'damaged' ? damagedMessage(problems) : null };
}

/** Writes wait for the integrity check at open, and are refused once the database failed it. */
export async function requireSoundDatabase(ctx: StationContext): Promise<void> {
  if (ctx.integrity.state === 'checking') await ctx.integrity.settled;
  if (ctx.integrity.state === 'damaged') throw new DomainError('damaged', damagedMessage(ctx.integrity.problems));
}

export const nowIso = (ctx: StationContext): string => new Date(ctx.clock.now()).toISOString();

/** One command = one transaction; a DomainError thrown inside rolls everything back. */
export async function inTx<T>(ctx: StationContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (ctx.integrity.state !== 'ok') await requireSoundDatabase(ctx); // no await on every command once checked
  let lastSeq: number | undefined;
  let result: T;
  try {
    result = await ctx.command(async (tx) => {
      // The lane's transaction object serves every command: nothing kept for it from an earlier one, and what this
      // one appended is read before the next command can begin.
      appendedIn.delete(tx);
      ctx.auditLog.forget(tx);
      const r = await fn(tx);
      lastSeq = appendedIn.get(tx);
      return r;
    });
  } finally {
    ctx.registrants.endBulk(); // an import's large page cache is given back once it committed (or rolled back)
  }
  // Wake the outbox relay only once the rows are committed, and for every transaction that appended any
  // (a verdict applied from the feed can append a release just as a sale does).
  if (lastSeq !== undefined) ctx.events.emit({ type: 'outbox.appended', lastSeq });
  return result;
}

/** The last outbox seq appended in each open transaction (see inTx). */
const appendedIn = new WeakMap<Tx, number>();

/** Notes an outbox row appended in `tx` by code outside `emit` (the print queue's store). */
export function noteAppended(tx: Tx, seq: number): void {
  appendedIn.set(tx, seq);
}

/** Appends a station event to the outbox in `tx`; the relay is woken when `tx` commits. */
export function emit<T extends StationEventType>(
  ctx: StationContext,
  tx: Tx,
  type: T,
  payload: Payload<T>,
  sessionId: string | null = null,
  origin: EventOrigin = eventOrigin(ctx),
): Envelope<T> {
  const ev = ctx.outbox.append(origin, type, payload, sessionId);
  noteAppended(tx, ev.seq);
  return ev;
}

export async function requireConference(q: Db | Tx): Promise<{ id: string; policy: Partial<SalePolicyParams> }> {
  const c = await getConference(q);
  if (!c) throw new DomainError('not_found', NO_CONFERENCE);
  return { id: c.id, policy: c.policy_json ? (JSON.parse(c.policy_json) as Partial<SalePolicyParams>) : {} };
}

/**
 * The staff member a request names as its actor must exist on this station (and hold `role` where the action needs
 * one); otherwise the command fails before it writes. Returns the actor recorded in the audit log: the staff id, or
 * `anonymous` (a kiosk, a desk not signed in) when the request names nobody. The one place to change when actors come
 * from the signed-in session instead of the payload. `find` looks a staff member up (inside the command: `actor`).
 */
export function requireActor(
  find: (staffId: string) => { id: string; name: string; role: string } | undefined,
  staffId: string | undefined,
  anonymous: string,
  role?: 'supervisor',
): string {
  if (staffId === undefined) {
    if (role) throw new DomainError('forbidden', `This needs a ${role}; name the ${role} who does it.`);
    return anonymous;
  }
  const staff = find(staffId);
  if (!staff)
    throw new DomainError(
      'unauthorized',
      `No staff member "${staffId}" on this station; nothing was done. Staff are added with staff-add.`,
    );
  if (role && staff.role !== role)
    throw new DomainError('forbidden', `${staff.name} is not a ${role}; a ${role} must do this.`);
  return staff.id;
}

export const NO_CONFERENCE = 'No conference is loaded on this station yet. Import one first.';

export function eventOrigin(ctx: StationContext): EventOrigin {
  const conferenceId = ctx.outbox.conferenceId();
  if (!conferenceId) throw new DomainError('not_found', NO_CONFERENCE);
  return { stationId: ctx.stationId, conferenceId, at: nowIso(ctx) };
}

export function audit(ctx: StationContext, tx: Tx, entry: AuditEntry): void {
  ctx.auditLog.append(tx, nowIso(ctx), entry);
}

/** Defaults, the conference's settings, this station's overrides, then the session's own settings. */
export function policyOf(
  conferencePolicy: Partial<SalePolicyParams>,
  sessionPolicyJson: string | null,
  stationOverrides: Partial<SalePolicyParams> = {},
): SalePolicyParams {
  const sessionPolicy = sessionPolicyJson ? (JSON.parse(sessionPolicyJson) as Partial<SalePolicyParams>) : {};
  return SalePolicyParams.parse({ ...defaultPolicy, ...conferencePolicy, ...stationOverrides, ...sessionPolicy });
}

/**
 * Who did it, for the audit log and the records a command writes: the signed-in staff member — who must still exist
 * on this station (requireActor), read inside the command's transaction `tx` — or else the station mode (a kiosk's
 * attendee), the operator, or the station.
 */
export function actor(ctx: StationContext, _tx: Tx, caller: Caller, role?: 'supervisor'): string {
  return requireActor(ctx.staff.find, caller.session?.staffId, actorOf(caller), role);
}

// ---- HQ contact and staleness --------------------------------------------------------------------------------

const CONTACT_KEY = 'hq_contact';
const OUTAGES_KEY = 'outage_history';

/** Records a contact with HQ; a long enough gap since the last one was an outage, kept for the allotment keeper. */
export async function recordContact(ctx: StationContext, tx: Tx, hqTime: number): Promise<void> {
  const contact: HqContact = {
    hqTime,
    wallTime: ctx.clock.now(),
    monoTime: ctx.clock.monotonic(),
    bootId: ctx.clock.bootId,
  };
  const gap = contactGapMin(await lastContact(tx), {
    wall: contact.wallTime,
    mono: contact.monoTime,
    bootId: contact.bootId,
  });
  if (gap >= outageLimits.minMin) {
    const before = await outageHistory(tx);
    const after = recordOutage(before, gap);
    if (after.count !== before.count) await setValue(tx, 'sync_state', OUTAGES_KEY, JSON.stringify(after));
  }
  await setValue(tx, 'sync_state', CONTACT_KEY, JSON.stringify(contact));
}

/** The outages this station has seen (gaps between contacts with HQ), for sizing its allotments. */
export async function outageHistory(q: Db | Tx): Promise<OutageHistory> {
  const v = await getValue(q, 'sync_state', OUTAGES_KEY);
  if (!v) return noOutages;
  try {
    const h = JSON.parse(v) as Partial<OutageHistory>;
    return { count: Number(h.count) || 0, totalMin: Number(h.totalMin) || 0 };
  } catch {
    return noOutages; // unreadable: start again rather than fail a sale
  }
}

export async function lastContact(q: Db | Tx): Promise<HqContact | null> {
  const v = await getValue(q, 'sync_state', CONTACT_KEY);
  return v ? (JSON.parse(v) as HqContact) : null;
}

export async function staleness(ctx: StationContext, q: Db | Tx): Promise<Staleness> {
  return stalenessSince(ctx, await lastContact(q));
}

/** How stale HQ's numbers are now, given the last contact with HQ. */
export function stalenessSince(ctx: StationContext, contact: HqContact | null): Staleness {
  return estimateStaleness(contact, { wall: ctx.clock.now(), mono: ctx.clock.monotonic(), bootId: ctx.clock.bootId });
}

// ---- waiting for HQ's verdict on an online sale ---------------------------------------------------------------

/** HQ's answer, or `cancelled` when staff released the sale (or the station closed) while waiting. */
export type Verdict = 'confirmed' | 'oversold' | 'cancelled';

export class VerdictWaiters {
  private waiting = new Map<string, Set<(v: Verdict) => void>>();

  wait(saleId: string, timeoutMs: number): Promise<Verdict | 'timeout'> {
    return new Promise((resolve) => {
      const set = this.waiting.get(saleId) ?? new Set();
      this.waiting.set(saleId, set);
      const done = (v: Verdict | 'timeout') => {
        clearTimeout(timer);
        set.delete(settle);
        if (set.size === 0) this.waiting.delete(saleId);
        resolve(v);
      };
      const settle = (v: Verdict) => done(v);
      const timer = setTimeout(() => done('timeout'), timeoutMs);
      set.add(settle);
    });
  }

  settle(saleId: string, verdict: Verdict): void {
    for (const f of [...(this.waiting.get(saleId) ?? [])]) f(verdict);
  }

  cancelAll(): void {
    for (const [, set] of this.waiting) for (const f of [...set]) f('cancelled');
  }
}
