/**
 * In-memory shape of a namespace: sendables (queues and topics: sequence numbers, duplicate detection,
 * scheduled messages) and receivables (a queue, a subscription, or either's dead-letter queue: messages,
 * locks, sessions, consumers). Behaviour lives in broker.ts; this file is the data and its invariants.
 */
import type { ReceivableSettings, RuleDef, SasPolicy, SendableSettings } from './config';
import type { MessageRecord } from './store';

/** A message the broker holds, with its runtime lock (never persisted: a restart releases every lock). */
export interface Msg extends MessageRecord {
  lock: Lock | null;
}

export interface Lock {
  /** Lock token in standard UUID text form (what $management requests carry). */
  token: string;
  until: number;
  consumer: Consumer | null;
  /** The transport's handle of the delivery, so a link settlement can be answered. */
  delivery: unknown;
}

/** A receiving link as the broker sees it; server.ts implements it on rhea. */
export interface Consumer {
  readonly id: number;
  readonly receivable: Receivable;
  readonly mode: 'peekLock' | 'receiveAndDelete';
  /** The session this consumer holds, for session receivers. */
  group: Group | null;
  closed: boolean;
  canSend(): boolean;
  /** Sends one delivery; `tag` is the 16-byte delivery tag. Returns the transport's delivery handle. */
  send(bytes: Buffer, tag: Buffer, settled: boolean): unknown;
  /** Closes the link with an AMQP error (e.g. session lock lost). */
  fail(condition: string, description: string): void;
}

/** Min-heap of sequence numbers; stale entries are skipped by the reader (lazy deletion). */
export class SeqHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  peek(): number | undefined {
    return this.a[0];
  }
  pop(): number | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const mv = (k: number): number => (k === i ? last : a[k]!);
        if (l < a.length && a[l]! < mv(m)) m = l;
        if (r < a.length && a[r]! < mv(m)) m = r;
        if (m === i) break;
        a[i] = a[m]!;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

/** One FIFO of available messages: the whole receivable, or one session of a session-enabled one. */
export class Group {
  readonly ready = new SeqHeap();
  holder: Consumer | null = null;
  lockedUntil = 0;
  state: Buffer | null = null;
  /** Messages of this group currently held by the receivable (active or deferred). */
  count = 0;
  constructor(readonly sessionId: string) {}
}

export class Receivable {
  readonly messages = new Map<number, Msg>();
  readonly groups = new Map<string, Group>();
  readonly locks = new Map<string, Msg>();
  consumers: Consumer[] = [];
  /** Round-robin start among consumers. */
  next = 0;
  /** Messages that can expire (have expiresAt), so the sweeper can skip receivables without any. */
  expiring = 0;
  deadLetter: Receivable | null = null;

  constructor(
    /** Lower-cased path: "q", "t/subscriptions/s", "q/$deadletterqueue". */
    readonly key: string,
    /** Path as configured, for messages and logs. */
    readonly path: string,
    readonly settings: ReceivableSettings,
    readonly owner: Sendable,
    readonly isDeadLetter: boolean,
    readonly rules: RuleDef[],
    readonly policies: SasPolicy[],
  ) {}

  get sessionful(): boolean {
    return this.settings.requiresSession && !this.isDeadLetter;
  }

  group(sessionId: string): Group {
    let g = this.groups.get(sessionId);
    if (!g) {
      g = new Group(sessionId);
      this.groups.set(sessionId, g);
    }
    return g;
  }

  groupKey(m: { sessionId: string | null }): string {
    return this.sessionful ? (m.sessionId ?? '') : '';
  }
}

export class Sendable {
  lastSeq = 0;
  readonly duplicates = new Map<string, number>();
  readonly scheduled = new Map<number, Msg>();
  /** A queue's own receivable, or a topic's subscriptions. */
  readonly receivables: Receivable[] = [];

  constructor(
    readonly key: string,
    readonly name: string,
    readonly kind: 'queue' | 'topic',
    readonly settings: SendableSettings,
    readonly policies: SasPolicy[],
  ) {}
}
