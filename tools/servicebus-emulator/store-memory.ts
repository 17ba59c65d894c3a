/**
 * In-memory mode: the broker's own maps are the only copy, so the journal records nothing and a restart starts
 * empty.
 */
import type { Journal, LoadedState } from './store';

export class MemoryJournal implements Journal {
  readonly durable = false;
  load(): LoadedState {
    return { messages: [], counters: new Map(), duplicates: [], sessionStates: [] };
  }
  putMessage(): void {}
  updateMessage(): void {}
  deleteMessage(): void {}
  setCounter(): void {}
  putDuplicate(): void {}
  purgeDuplicates(): void {}
  setSessionState(): void {}
  commit(): void {}
  close(): void {}
}
