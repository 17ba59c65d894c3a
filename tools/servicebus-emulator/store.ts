/**
 * Persistence contract. The broker keeps its working state in memory and reports every change to a Journal;
 * `commit()` makes everything reported so far durable. The broker acknowledges sends and settlements only after
 * the commit that contains them (group commit: one fsync per event-loop turn, not per message).
 */

/** A stored message. `queue` is the lower-cased path of the queue, subscription or dead-letter queue holding it
 * (for a scheduled message: of the queue or topic it was sent to). */
export interface MessageRecord {
  queue: string;
  seq: number;
  /** 0 active, 1 deferred, 2 scheduled (the values of x-opt-message-state). */
  state: 0 | 1 | 2;
  deliveryCount: number;
  enqueuedAt: number;
  /** Absolute expiry in ms, or null for never. */
  expiresAt: number | null;
  scheduledAt: number | null;
  sessionId: string | null;
  messageId: string | null;
  ttlMs: number | null;
  durable: boolean | null;
  priority: number | null;
  deadLetterSource: string | null;
  annotations: Buffer;
  body: Buffer;
}

export interface LoadedState {
  messages: MessageRecord[];
  counters: Map<string, number>;
  duplicates: { entity: string; messageId: string; expiresAt: number }[];
  sessionStates: { queue: string; sessionId: string; state: Buffer }[];
}

export interface Journal {
  readonly durable: boolean;
  load(): LoadedState;
  putMessage(rec: MessageRecord): void;
  updateMessage(queue: string, seq: number, deliveryCount: number, state: 0 | 1 | 2): void;
  deleteMessage(queue: string, seq: number): void;
  setCounter(entity: string, seq: number): void;
  putDuplicate(entity: string, messageId: string, expiresAt: number): void;
  purgeDuplicates(now: number): void;
  setSessionState(queue: string, sessionId: string, state: Buffer | null): void;
  commit(): void;
  close(): void;
}
