/**
 * What applying one feed message did — the answer of every applier (catalog, registrations, cases, stream
 * recovery) to feed.ts, which dispatches HQ's messages to them. Apart from feed.ts so the appliers need not import
 * their dispatcher.
 */
export type Applied = {
  status: 'applied' | 'ignored';
  note: string | null;
  /** Runs once the transaction committed (notifications). */
  after?: () => void;
};
