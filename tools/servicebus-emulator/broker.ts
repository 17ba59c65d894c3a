/**
 * The broker: routing, locks, settlement, sessions, expiry and scheduling, independent of AMQP. server.ts
 * translates links and frames into these calls; management.ts does the same for $management requests.
 *
 * Ordering rule: a state change is reported to the journal at once, and anything that tells a client "done"
 * (a send's accepted outcome, a settlement's reply, a management response) runs through `onCommit`, i.e. after
 * the journal made it durable. Deliveries to consumers also go out from the same tick, after the commit, so a
 * receiver never sees a message the broker could still lose.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorConfig } from './config';
import { MAX_TTL_MS } from './config';
import { encodeDelivery, parseMessage, withApplicationProperties } from './codec';
import type { ParsedMessage } from './codec';
import type { FilterInput } from './filter';
import { Receivable, Sendable } from './entity';
import type { Consumer, Group, Msg } from './entity';
import type { Journal, MessageRecord } from './store';

export class BrokerError extends Error {
  constructor(
    readonly condition: string,
    message: string,
  ) {
    super(message);
  }
}

export const LOCK_LOST = 'com.microsoft:message-lock-lost';
export const SESSION_LOCK_LOST = 'com.microsoft:session-lock-lost';
export const SESSION_CANNOT_BE_LOCKED = 'com.microsoft:session-cannot-be-locked';
export const MESSAGE_NOT_FOUND = 'com.microsoft:message-not-found';
export const NOT_FOUND = 'amqp:not-found';
export const NOT_ALLOWED = 'amqp:not-allowed';

export type Outcome = 'complete' | 'abandon' | 'defer' | 'deadletter';
export interface SettleOptions {
  propertiesToModify?: Record<string, unknown> | undefined;
  deadLetterReason?: string | undefined;
  deadLetterDescription?: string | undefined;
}

/** How many times ForwardTo may chain before the broker stops (the real service allows 4 hops). */
const MAX_FORWARD_HOPS = 4;
const SWEEP_MS = 25;
const TTL_SWEEP_MS = 500;

/** The 16-byte delivery tag is the lock token in .NET GUID byte order; $management carries standard order. */
export function reorderGuid(b: Buffer): Buffer {
  return Buffer.from([b[3]!, b[2]!, b[1]!, b[0]!, b[5]!, b[4]!, b[7]!, b[6]!, ...b.subarray(8, 16)]);
}
export function uuidToBytes(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, ''), 'hex');
}
export function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type Template = Omit<MessageRecord, 'queue' | 'state' | 'enqueuedAt' | 'expiresAt' | 'deliveryCount' | 'scheduledAt'>;

function toRecord(m: MessageRecord): MessageRecord {
  return {
    queue: m.queue,
    seq: m.seq,
    state: m.state,
    deliveryCount: m.deliveryCount,
    enqueuedAt: m.enqueuedAt,
    expiresAt: m.expiresAt,
    scheduledAt: m.scheduledAt,
    sessionId: m.sessionId,
    messageId: m.messageId,
    ttlMs: m.ttlMs,
    durable: m.durable,
    priority: m.priority,
    deadLetterSource: m.deadLetterSource,
    annotations: m.annotations,
    body: m.body,
  };
}

function filterInput(m: { annotations: Buffer; body: Buffer }, parsed?: ParsedMessage): FilterInput {
  const p = parsed ?? parseMessage(Buffer.concat([m.annotations, m.body]));
  return { sys: p.sys, user: p.user };
}

interface SessionWaiter {
  consumer: Consumer;
  grant: (g: Group) => void;
}

export class Broker {
  readonly sendables = new Map<string, Sendable>();
  readonly receivables = new Map<string, Receivable>();
  private readonly dirty = new Set<Receivable>();
  private afterCommit: ((err: Error | null) => void)[] = [];
  private tickScheduled = false;
  private readonly sweeper: NodeJS.Timeout;
  private lastTtlSweep = 0;
  private readonly waiters = new Map<Receivable, SessionWaiter[]>();
  private stopped = false;

  constructor(
    readonly config: EmulatorConfig,
    readonly journal: Journal,
    private readonly log: (line: string) => void = () => {},
  ) {
    for (const q of config.queues) {
      const s = new Sendable(q.name.toLowerCase(), q.name, 'queue', q.send, q.policies);
      this.sendables.set(s.key, s);
      this.addReceivable(new Receivable(s.key, q.name, q.receive, s, false, [], q.policies));
    }
    for (const t of config.topics) {
      const s = new Sendable(t.name.toLowerCase(), t.name, 'topic', t.send, t.policies);
      this.sendables.set(s.key, s);
      for (const sub of t.subscriptions) {
        const path = `${t.name}/Subscriptions/${sub.name}`;
        this.addReceivable(
          new Receivable(path.toLowerCase(), path, sub.receive, s, false, sub.rules, [...t.policies, ...sub.policies]),
        );
      }
    }
    this.restore();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  private addReceivable(r: Receivable): void {
    const dlq = new Receivable(
      `${r.key}/$deadletterqueue`,
      `${r.path}/$DeadLetterQueue`,
      r.settings,
      r.owner,
      true,
      [],
      r.policies,
    );
    r.deadLetter = dlq;
    r.owner.receivables.push(r);
    this.receivables.set(r.key, r);
    this.receivables.set(dlq.key, dlq);
  }

  private restore(): void {
    const state = this.journal.load();
    for (const [entity, seq] of state.counters) {
      const s = this.sendables.get(entity);
      if (s) s.lastSeq = Math.max(s.lastSeq, seq);
    }
    let orphans = 0;
    for (const rec of state.messages) {
      const msg: Msg = { ...rec, lock: null };
      if (rec.state === 2) {
        const s = this.sendables.get(rec.queue);
        if (!s) {
          orphans++;
          continue;
        }
        s.scheduled.set(rec.seq, msg);
        s.lastSeq = Math.max(s.lastSeq, rec.seq);
        continue;
      }
      const r = this.receivables.get(rec.queue);
      if (!r) {
        orphans++;
        continue;
      }
      r.owner.lastSeq = Math.max(r.owner.lastSeq, rec.seq);
      this.add(r, msg, false);
    }
    const now = Date.now();
    for (const d of state.duplicates) {
      if (d.expiresAt > now) this.sendables.get(d.entity)?.duplicates.set(d.messageId, d.expiresAt);
    }
    for (const s of state.sessionStates) {
      const r = this.receivables.get(s.queue);
      if (r) r.group(s.sessionId).state = s.state;
    }
    if (state.messages.length)
      this.log(`restored ${state.messages.length - orphans} message(s) from the data directory`);
    if (orphans)
      this.log(`${orphans} stored message(s) belong to entities no longer in the config; they are kept but ignored`);
  }

  close(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
    try {
      this.journal.commit();
    } finally {
      this.journal.close();
    }
  }

  // ---- addressing ------------------------------------------------------------------------------------------

  /** A queue or topic by name (case-insensitive). */
  sendable(address: string): Sendable | undefined {
    return this.sendables.get(address.toLowerCase().replace(/\/+$/, ''));
  }
  /** A queue, subscription or dead-letter queue by path (case-insensitive). */
  receivable(address: string): Receivable | undefined {
    return this.receivables.get(address.toLowerCase().replace(/\/+$/, ''));
  }

  // ---- commit and pump ---------------------------------------------------------------------------------------

  /** Runs `fn` once everything changed so far is durable. */
  onCommit(fn: (err: Error | null) => void): void {
    this.afterCommit.push(fn);
    this.scheduleTick();
  }

  private markDirty(r: Receivable): void {
    this.dirty.add(r);
    this.scheduleTick();
  }

  private scheduleTick(): void {
    if (this.tickScheduled || this.stopped) return;
    this.tickScheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.tickScheduled = false;
    if (this.stopped) return;
    let err: Error | null = null;
    try {
      this.journal.commit();
    } catch (e) {
      err = e as Error;
      this.log(`journal commit failed: ${err.message}`);
    }
    const callbacks = this.afterCommit;
    this.afterCommit = [];
    for (const cb of callbacks) {
      try {
        cb(err);
      } catch (e) {
        this.log(`callback failed: ${(e as Error).message}`);
      }
    }
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const r of dirty) this.pump(r);
    try {
      this.journal.commit();
    } catch (e) {
      this.log(`journal commit failed: ${(e as Error).message}`);
    }
  }

  /** Delivers available messages to consumers with credit. Called after commits, or directly on a drain. */
  pump(r: Receivable): void {
    if (r.sessionful) {
      this.serveSessionWaiters(r);
      for (const c of r.consumers) if (c.group) this.pumpGroup(r, c.group, [c]);
      return;
    }
    const g = r.groups.get('');
    if (g && r.consumers.length) this.pumpGroup(r, g, r.consumers);
  }

  private pumpGroup(r: Receivable, g: Group, consumers: Consumer[]): void {
    const now = Date.now();
    let idle = 0;
    // Round-robin over consumers that have credit, one message each, until no one can take more.
    while (g.ready.size && idle < consumers.length) {
      const c = consumers[r.next++ % consumers.length]!;
      if (c.closed || !c.canSend()) {
        idle++;
        continue;
      }
      const msg = this.nextAvailable(r, g, now);
      if (!msg) break;
      idle = 0;
      this.deliver(c, r, msg, now);
    }
  }

  private nextAvailable(r: Receivable, g: Group, now: number): Msg | undefined {
    for (;;) {
      const seq = g.ready.pop();
      if (seq === undefined) return undefined;
      const msg = r.messages.get(seq);
      if (!msg || msg.state !== 0 || msg.lock || r.groupKey(msg) !== g.sessionId) continue;
      if (msg.expiresAt !== null && msg.expiresAt <= now) {
        this.expire(r, msg);
        continue;
      }
      return msg;
    }
  }

  private deliver(c: Consumer, r: Receivable, msg: Msg, now: number): void {
    const token = randomUUID();
    const tag = reorderGuid(uuidToBytes(token));
    if (c.mode === 'receiveAndDelete') {
      c.send(this.encode(msg, undefined), tag, true);
      this.remove(r, msg, true);
      return;
    }
    const until = c.group ? c.group.lockedUntil : now + r.settings.lockDurationMs;
    const bytes = this.encode(msg, until);
    msg.deliveryCount++;
    this.journal.updateMessage(r.key, msg.seq, msg.deliveryCount, msg.state);
    msg.lock = { token, until, consumer: c, delivery: null };
    r.locks.set(token, msg);
    msg.lock.delivery = c.send(bytes, tag, false);
  }

  /** The delivery count in the header is the number of earlier attempts (0 on first delivery). */
  private encode(msg: Msg, lockedUntil: number | undefined, deliveryCount = msg.deliveryCount): Buffer {
    return encodeDelivery(msg.annotations, msg.body, {
      deliveryCount,
      sequenceNumber: msg.seq,
      enqueuedAt: msg.enqueuedAt,
      lockedUntil,
      state: msg.state,
      deadLetterSource: msg.deadLetterSource ?? undefined,
      ttlMs: msg.ttlMs ?? undefined,
      durable: msg.durable ?? undefined,
      priority: msg.priority ?? undefined,
    });
  }

  // ---- message bookkeeping -----------------------------------------------------------------------------------

  private add(r: Receivable, msg: Msg, persist: boolean): void {
    msg.queue = r.key;
    r.messages.set(msg.seq, msg);
    if (msg.expiresAt !== null) r.expiring++;
    const g = r.group(r.groupKey(msg));
    g.count++;
    if (msg.state === 0) g.ready.push(msg.seq);
    if (persist) this.journal.putMessage(toRecord(msg));
    this.markDirty(r);
  }

  private remove(r: Receivable, msg: Msg, persist: boolean): void {
    if (!r.messages.delete(msg.seq)) return;
    if (msg.expiresAt !== null) r.expiring--;
    if (msg.lock) {
      r.locks.delete(msg.lock.token);
      msg.lock = null;
    }
    const key = r.groupKey(msg);
    const g = r.groups.get(key);
    if (g) {
      g.count--;
      if (g.count === 0 && !g.holder && !g.state && key !== '') r.groups.delete(key);
    }
    if (persist) this.journal.deleteMessage(r.key, msg.seq);
  }

  private unlock(r: Receivable, msg: Msg): void {
    if (msg.lock) r.locks.delete(msg.lock.token);
    msg.lock = null;
  }

  /** A lock ended without completion (abandon, lock expiry, session lost): back to the queue, or to the DLQ. */
  private release(r: Receivable, msg: Msg): void {
    this.unlock(r, msg);
    if (msg.state !== 0) return; // a deferred message stays deferred
    if (!r.isDeadLetter && msg.deliveryCount >= r.settings.maxDeliveryCount) {
      this.deadLetter(
        r,
        msg,
        'MaxDeliveryCountExceeded',
        `Message could not be consumed after ${r.settings.maxDeliveryCount} delivery attempts.`,
      );
      return;
    }
    r.group(r.groupKey(msg)).ready.push(msg.seq);
    this.markDirty(r);
  }

  private deadLetter(
    r: Receivable,
    msg: Msg,
    reason: string | undefined,
    description: string | undefined,
    props?: Record<string, unknown>,
  ): void {
    if (r.isDeadLetter) {
      // The dead-letter queue has no dead-letter queue: the message just becomes available again.
      this.unlock(r, msg);
      r.group('').ready.push(msg.seq);
      this.markDirty(r);
      return;
    }
    this.remove(r, msg, true);
    const body = withApplicationProperties(msg.body, {
      ...props,
      DeadLetterReason: reason,
      DeadLetterErrorDescription: description,
    });
    const fwd = r.settings.forwardDeadLetteredTo ? this.sendable(r.settings.forwardDeadLetteredTo) : undefined;
    if (fwd) {
      this.forward(fwd, { ...msg, body, deadLetterSource: r.path }, Date.now(), 1);
      return;
    }
    const dlq = r.deadLetter!;
    this.add(dlq, { ...toRecord(msg), queue: dlq.key, state: 0, expiresAt: null, body, lock: null }, true);
  }

  private expire(r: Receivable, msg: Msg): void {
    if (r.settings.deadLetterOnExpiration && !r.isDeadLetter) {
      this.deadLetter(r, msg, 'TTLExpiredException', 'The message expired and was dead lettered.');
    } else {
      this.remove(r, msg, true);
    }
  }

  // ---- sending -----------------------------------------------------------------------------------------------

  /**
   * Accepts messages sent to a queue or topic (one transfer, possibly a batch). Throws BrokerError before
   * changing anything if one of them is unacceptable. Returns the sequence numbers assigned (0 for duplicates).
   */
  send(target: Sendable, items: ParsedMessage[], forceScheduledAt?: number): number[] {
    if (target.kind === 'queue' && target.receivables[0]!.sessionful) {
      for (const p of items) {
        if (p.sessionId === undefined) {
          throw new BrokerError(
            NOT_ALLOWED,
            `The SessionId was not set on a message, and it cannot be sent to the entity '${target.name}'. Entities that have session support enabled can only receive messages that have the SessionId set to a valid value.`,
          );
        }
      }
    }
    const now = Date.now();
    const seqs: number[] = [];
    for (const p of items) {
      if (target.settings.requiresDuplicateDetection && p.messageId !== undefined) {
        const until = target.duplicates.get(p.messageId);
        if (until !== undefined && until > now) {
          seqs.push(0);
          continue;
        }
        const expiresAt = now + target.settings.duplicateWindowMs;
        target.duplicates.set(p.messageId, expiresAt);
        this.journal.putDuplicate(target.key, p.messageId, expiresAt);
      }
      const seq = ++target.lastSeq;
      this.journal.setCounter(target.key, seq);
      seqs.push(seq);
      const tpl: Template = {
        seq,
        sessionId: p.sessionId ?? null,
        messageId: p.messageId ?? null,
        ttlMs: p.ttlMs ?? null,
        durable: p.durable ?? null,
        priority: p.priority ?? null,
        deadLetterSource: null,
        annotations: p.annotations,
        body: p.body,
      };
      const at = forceScheduledAt ?? p.scheduledAt;
      if (at !== undefined && at > now) {
        const msg: Msg = {
          ...tpl,
          queue: target.key,
          state: 2,
          deliveryCount: 0,
          enqueuedAt: now,
          expiresAt: null,
          scheduledAt: at,
          lock: null,
        };
        target.scheduled.set(seq, msg);
        this.journal.putMessage(toRecord(msg));
      } else {
        this.route(target, tpl, now, 0, p);
      }
    }
    return seqs;
  }

  private route(target: Sendable, tpl: Template, now: number, hops: number, parsed?: ParsedMessage): void {
    if (target.kind === 'queue') {
      this.enqueue(target.receivables[0]!, tpl, now, hops);
      return;
    }
    let input: FilterInput | undefined;
    for (const sub of target.receivables) {
      input ??= filterInput(tpl, parsed);
      const m = input;
      let matched = false;
      for (const rule of sub.rules) {
        try {
          if (rule.filter(m)) {
            matched = true;
            break;
          }
        } catch (e) {
          this.log(`rule ${rule.name} on ${sub.path} failed: ${(e as Error).message}`);
        }
      }
      if (matched) this.enqueue(sub, tpl, now, hops);
    }
  }

  private enqueue(r: Receivable, tpl: Template, now: number, hops: number): void {
    if (r.settings.forwardTo && hops < MAX_FORWARD_HOPS) {
      const fwd = this.sendable(r.settings.forwardTo);
      if (fwd) {
        this.forward(fwd, tpl, now, hops + 1);
        return;
      }
    }
    const ttl = Math.min(tpl.ttlMs ?? MAX_TTL_MS, r.settings.defaultTtlMs);
    const msg: Msg = {
      ...tpl,
      queue: r.key,
      state: 0,
      deliveryCount: 0,
      enqueuedAt: now,
      expiresAt: ttl >= MAX_TTL_MS ? null : now + ttl,
      scheduledAt: null,
      lock: null,
    };
    this.add(r, msg, true);
  }

  /** Auto-forwarding: the message enters the target as a new message with the target's next sequence number. */
  private forward(target: Sendable, tpl: Template, now: number, hops: number): void {
    const seq = ++target.lastSeq;
    this.journal.setCounter(target.key, seq);
    this.route(target, { ...tpl, seq }, now, hops);
  }

  cancelScheduled(target: Sendable, seqs: number[]): void {
    for (const seq of seqs) {
      if (target.scheduled.delete(seq)) this.journal.deleteMessage(target.key, seq);
    }
  }

  // ---- consumers and sessions --------------------------------------------------------------------------------

  attach(c: Consumer): void {
    c.receivable.consumers.push(c);
    this.markDirty(c.receivable);
  }

  detach(c: Consumer): void {
    const r = c.receivable;
    c.closed = true;
    r.consumers = r.consumers.filter((x) => x !== c);
    const w = this.waiters.get(r);
    if (w)
      this.waiters.set(
        r,
        w.filter((x) => x.consumer !== c),
      );
    if (c.group) {
      this.releaseSession(r, c.group);
      return;
    }
    // Message locks outlive the link (the SDK settles through $management when its link is gone).
    for (const msg of r.locks.values()) {
      if (msg.lock && msg.lock.consumer === c) {
        msg.lock.consumer = null;
        msg.lock.delivery = null;
      }
    }
  }

  /**
   * Locks a session for `c`: the named one, or (sessionId null) the first unlocked session with an available
   * message. Returns null when there is none yet (the caller may wait with `waitForSession`).
   */
  acceptSession(r: Receivable, c: Consumer, sessionId: string | null): Group | null {
    if (!r.sessionful)
      throw new BrokerError(NOT_ALLOWED, `'${r.path}' does not require sessions; use a receiver without a session`);
    let g: Group | undefined;
    if (sessionId !== null) {
      g = r.group(sessionId);
      if (g.holder && g.holder !== c && !g.holder.closed) {
        throw new BrokerError(
          SESSION_CANNOT_BE_LOCKED,
          `The requested session '${sessionId}' cannot be accepted. It may be locked by another receiver.`,
        );
      }
    } else {
      g = this.freeSession(r);
      if (!g) return null;
    }
    this.lockSession(r, g, c);
    return g;
  }

  private freeSession(r: Receivable): Group | undefined {
    const now = Date.now();
    for (const g of r.groups.values()) {
      if (g.holder && !g.holder.closed) continue;
      // Skip stale heap entries so an emptied session is not handed out.
      while (g.ready.size) {
        const m = r.messages.get(g.ready.peek()!);
        if (m && m.state === 0 && !m.lock && !(m.expiresAt !== null && m.expiresAt <= now)) return g;
        g.ready.pop();
        if (m && m.state === 0 && !m.lock) this.expire(r, m);
      }
    }
    return undefined;
  }

  private lockSession(r: Receivable, g: Group, c: Consumer): void {
    g.holder = c;
    g.lockedUntil = Date.now() + r.settings.lockDurationMs;
    c.group = g;
  }

  /** Registers a consumer waiting for any session; `grant` runs when one becomes available. */
  waitForSession(r: Receivable, c: Consumer, grant: (g: Group) => void): void {
    const list = this.waiters.get(r) ?? [];
    list.push({ consumer: c, grant });
    this.waiters.set(r, list);
  }

  cancelWait(r: Receivable, c: Consumer): void {
    const w = this.waiters.get(r);
    if (w)
      this.waiters.set(
        r,
        w.filter((x) => x.consumer !== c),
      );
  }

  private serveSessionWaiters(r: Receivable): void {
    const list = this.waiters.get(r);
    while (list && list.length) {
      const g = this.freeSession(r);
      if (!g) return;
      const w = list.shift()!;
      this.lockSession(r, g, w.consumer);
      w.grant(g);
    }
  }

  private releaseSession(r: Receivable, g: Group): void {
    const holder = g.holder;
    g.holder = null;
    if (holder) holder.group = null;
    for (const msg of [...r.locks.values()]) {
      if (msg.lock && holder && msg.lock.consumer === holder) this.release(r, msg);
    }
    if (g.count === 0 && !g.state && g.sessionId !== '') r.groups.delete(g.sessionId);
    this.markDirty(r);
  }

  private heldGroup(r: Receivable, sessionId: string): Group {
    const g = r.groups.get(sessionId);
    if (!g || !g.holder || g.holder.closed || g.lockedUntil <= Date.now()) {
      throw new BrokerError(SESSION_LOCK_LOST, `The session lock has expired on the session with id ${sessionId}.`);
    }
    return g;
  }

  renewSessionLock(r: Receivable, sessionId: string): number {
    const g = this.heldGroup(r, sessionId);
    g.lockedUntil = Date.now() + r.settings.lockDurationMs;
    for (const msg of r.locks.values()) if (msg.lock && msg.lock.consumer === g.holder) msg.lock.until = g.lockedUntil;
    return g.lockedUntil;
  }

  getSessionState(r: Receivable, sessionId: string): Buffer | null {
    return this.heldGroup(r, sessionId).state;
  }

  setSessionState(r: Receivable, sessionId: string, state: Buffer | null): void {
    const g = this.heldGroup(r, sessionId);
    g.state = state && state.length ? state : null;
    this.journal.setSessionState(r.key, sessionId, g.state);
  }

  // ---- settlement --------------------------------------------------------------------------------------------

  /** Settles a locked message by lock token (standard UUID text). Throws BrokerError if the lock is gone. */
  settle(r: Receivable, token: string, outcome: Outcome, opts: SettleOptions = {}): void {
    const msg = r.locks.get(token);
    const now = Date.now();
    if (!msg || !msg.lock) {
      throw new BrokerError(
        LOCK_LOST,
        'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
      );
    }
    const sessionHeld = !!msg.lock.consumer?.group;
    if (!sessionHeld && msg.lock.until <= now) {
      this.release(r, msg);
      throw new BrokerError(
        LOCK_LOST,
        'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
      );
    }
    const props =
      opts.propertiesToModify && Object.keys(opts.propertiesToModify).length ? opts.propertiesToModify : undefined;
    switch (outcome) {
      case 'complete':
        this.remove(r, msg, true);
        return;
      case 'abandon':
        if (props) this.modify(r, msg, props);
        this.release(r, msg);
        return;
      case 'defer':
        if (props) this.modify(r, msg, props);
        this.unlock(r, msg);
        msg.state = 1;
        this.journal.updateMessage(r.key, msg.seq, msg.deliveryCount, 1);
        return;
      case 'deadletter':
        this.deadLetter(r, msg, opts.deadLetterReason, opts.deadLetterDescription, props);
        return;
    }
  }

  private modify(r: Receivable, msg: Msg, props: Record<string, unknown>): void {
    msg.body = withApplicationProperties(msg.body, props);
    this.journal.putMessage(toRecord(msg));
  }

  /** Extends message locks by the entity's LockDuration (renew-lock); returns the new expiry per token. */
  renewLocks(r: Receivable, tokens: string[]): number[] {
    const now = Date.now();
    return tokens.map((t) => {
      const msg = r.locks.get(t);
      if (!msg || !msg.lock || msg.lock.until <= now) {
        throw new BrokerError(
          LOCK_LOST,
          'The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.',
        );
      }
      msg.lock.until = msg.lock.consumer?.group ? msg.lock.consumer.group.lockedUntil : now + r.settings.lockDurationMs;
      return msg.lock.until;
    });
  }

  // ---- browsing and deferred messages ------------------------------------------------------------------------

  peek(r: Receivable, fromSeq: number, count: number, sessionId: string | undefined): Buffer[] {
    const found: Msg[] = [];
    for (const m of r.messages.values())
      if (m.seq >= fromSeq && (sessionId === undefined || m.sessionId === sessionId)) found.push(m);
    if (r.owner.kind === 'queue' && !r.isDeadLetter) {
      for (const m of r.owner.scheduled.values())
        if (m.seq >= fromSeq && (sessionId === undefined || m.sessionId === sessionId)) found.push(m);
    }
    found.sort((a, b) => a.seq - b.seq);
    return found.slice(0, Math.max(0, count)).map((m) => this.encode(m, m.lock?.until, m.deliveryCount));
  }

  /** Receives deferred messages by sequence number; in peek-lock they are locked (lock token returned). */
  receiveDeferred(
    r: Receivable,
    seqs: number[],
    mode: 'peekLock' | 'receiveAndDelete',
    sessionId: string | undefined,
  ): { bytes: Buffer; token: Buffer }[] {
    const now = Date.now();
    const msgs = seqs.map((seq) => {
      const m = r.messages.get(seq);
      if (!m || m.state !== 1 || (sessionId !== undefined && m.sessionId !== sessionId)) {
        throw new BrokerError(
          MESSAGE_NOT_FOUND,
          `Failed to retrieve the deferred message with sequence number ${seq}: it is not deferred in '${r.path}'.`,
        );
      }
      if (m.lock && m.lock.until > now) {
        throw new BrokerError(
          LOCK_LOST,
          `The deferred message with sequence number ${seq} is locked by another receive.`,
        );
      }
      return m;
    });
    return msgs.map((m) => {
      const token = randomUUID();
      if (mode === 'receiveAndDelete') {
        const bytes = this.encode(m, undefined);
        this.remove(r, m, true);
        return { bytes, token: uuidToBytes(token) };
      }
      this.unlock(r, m);
      const until = now + r.settings.lockDurationMs;
      const bytes = this.encode(m, until);
      m.deliveryCount++;
      this.journal.updateMessage(r.key, m.seq, m.deliveryCount, m.state);
      m.lock = { token, until, consumer: null, delivery: null };
      r.locks.set(token, m);
      return { bytes, token: uuidToBytes(token) };
    });
  }

  // ---- timers ------------------------------------------------------------------------------------------------

  private sweep(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const r of this.receivables.values()) {
      if (r.locks.size) {
        for (const msg of r.locks.values()) {
          if (msg.lock && !msg.lock.consumer?.group && msg.lock.until <= now) this.release(r, msg);
        }
      }
      if (r.sessionful) {
        for (const g of r.groups.values()) {
          if (g.holder && g.lockedUntil <= now) {
            const holder = g.holder;
            this.releaseSession(r, g);
            holder.fail(SESSION_LOCK_LOST, `The session lock has expired on the session with id ${g.sessionId}.`);
          }
        }
      }
    }
    for (const s of this.sendables.values()) {
      if (!s.scheduled.size) continue;
      for (const msg of [...s.scheduled.values()]) {
        if (msg.scheduledAt !== null && msg.scheduledAt <= now) {
          s.scheduled.delete(msg.seq);
          this.journal.deleteMessage(s.key, msg.seq);
          this.route(s, { ...msg }, now, 0);
        }
      }
    }
    if (now - this.lastTtlSweep >= TTL_SWEEP_MS) {
      this.lastTtlSweep = now;
      for (const r of this.receivables.values()) {
        if (!r.expiring) continue;
        for (const msg of [...r.messages.values()]) {
          if (!msg.lock && msg.expiresAt !== null && msg.expiresAt <= now) this.expire(r, msg);
        }
      }
      for (const s of this.sendables.values()) {
        for (const [id, until] of s.duplicates) if (until <= now) s.duplicates.delete(id);
      }
      this.journal.purgeDuplicates(now);
    }
    this.scheduleTick();
  }
}
