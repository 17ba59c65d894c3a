/**
 * Group commit: items submitted one at a time (each bus message, as it arrives) are committed together in
 * batches, so a burst of N messages costs one transaction instead of N. Submission order is commit order.
 *
 * A batch that fails is retried one item at a time, so one bad item cannot spoil the others; an item that still
 * fails rejects its own promise only. Used by the station's feed receiver and by HQ's event receiver.
 */
export interface GroupCommit<T, R> {
  /** Resolves with the item's own result once the batch holding it has committed. */
  submit(item: T): Promise<R>;
  /** Items waiting or being committed. */
  pending(): number;
  /** Resolves when nothing is waiting or being committed. */
  idle(): Promise<void>;
  /** Rejects whatever is still waiting (not what is being committed) and accepts nothing more. */
  close(reason: Error): void;
}

export interface GroupCommitOptions<T, R> {
  maxBatch: number;
  /** Commits the items together; returns one result per item, in order. */
  commit: (items: T[]) => Promise<R[]>;
  /** After each batch (e.g. publish what it produced). */
  afterBatch?: () => void;
  /** An item failed on its own too (after its batch failed). */
  onItemError?: (error: unknown, item: T) => void;
  /** Runs `f` on a later turn of the event loop (`setImmediate` under Node): the timer stays outside core. */
  defer: (f: () => void) => void;
  /** When an item fails on its own, fail the items after it in its batch too (their order matters). */
  ordered?: boolean;
}

type Waiting<T, R> = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };

export function groupCommit<T, R>(opts: GroupCommitOptions<T, R>): GroupCommit<T, R> {
  if (!Number.isInteger(opts.maxBatch) || opts.maxBatch < 1)
    throw new RangeError(`maxBatch must be a positive integer, not ${opts.maxBatch}`);
  const queue: Waiting<T, R>[] = [];
  let committing = 0;
  let running: Promise<void> | null = null;
  let closed: Error | null = null;

  /** Commits one item alone; false if it failed (and was rejected). */
  async function commitOne(w: Waiting<T, R>): Promise<boolean> {
    try {
      const [r] = await opts.commit([w.item]);
      w.resolve(r as R);
      return true;
    } catch (e) {
      try {
        opts.onItemError?.(e, w.item);
      } catch {
        // Reporting must not stop the commits.
      }
      w.reject(e);
      return false;
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      committing = batch.length;
      try {
        const results = await opts.commit(batch.map((w) => w.item));
        if (results.length !== batch.length)
          throw new Error(`commit returned ${results.length} results for ${batch.length} items`);
        batch.forEach((w, i) => w.resolve(results[i] as R));
      } catch {
        for (const [i, w] of batch.entries()) {
          if (await commitOne(w)) continue;
          if (opts.ordered) {
            const why = new Error('an earlier message of the same batch failed; retried later, in order');
            for (const later of batch.slice(i + 1)) later.reject(why);
            break;
          }
        }
      } finally {
        committing = 0;
      }
      try {
        opts.afterBatch?.();
      } catch {
        // A failing follow-up (e.g. publishing) must not stop the commits; it reports its own errors.
      }
    }
  }

  function start(): void {
    if (running) return;
    // Wait one turn: messages arriving in the same burst join the same transaction.
    running = new Promise<void>((r) => opts.defer(r))
      .then(drain)
      .catch(() => {}) // every item's promise is settled inside drain
      .finally(() => {
        running = null;
        if (queue.length > 0) start();
      });
  }

  return {
    submit(item) {
      if (closed) return Promise.reject(closed);
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        start();
      });
    },
    pending: () => queue.length + committing,
    async idle() {
      while (running) await running;
    },
    close(reason) {
      closed = reason;
      for (const w of queue.splice(0)) w.reject(reason);
    },
  };
}
