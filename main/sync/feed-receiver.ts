/**
 * The feed receiver: peek-lock on the station's own subscription. For each message: validate, then record in the
 * inbox and apply in one transaction, then complete. Messages that arrive together share the transaction (group
 * commit through the station's `feed.applyBatch`); each is still completed only after it committed. A redelivered message is found in
 * the inbox and completed without a second apply. An invalid message is dead-lettered with a reason and kept in the
 * local quarantine list; the receiver goes on.
 */
import type { ProcessErrorArgs, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import type { FeedBatchItem, StationApi } from '../../core/api';
import { groupCommit } from '../../core/group-commit';
import { settleLane, type SettleLane } from '../../core/settle-lane';
import type { Connectivity } from './connectivity';
import { bodyText } from './service-bus';

export interface FeedReceiverStats {
  applied: number;
  duplicates: number;
  quarantined: number;
  lastError: string | null;
}

export interface FeedReceiver {
  stats(): FeedReceiverStats;
  /** Resolves once the SDK's subscription has stopped (its link's credit drained) and every applied batch committed. */
  stop(): Promise<void>;
}

/** What the receiver needs of the station: its API, and the local quarantine list. */
export interface FeedSink extends Pick<StationApi, 'call'> {
  quarantineFeedMessage(body: string, reason: string, messageId?: string): Promise<void>;
}

const lanes = new WeakMap<ServiceBusReceiver, SettleLane>();

/**
 * @param batchSize messages the SDK hands over at once (its maxConcurrentCalls); those that arrive together are
 *   applied in one transaction, in arrival order.
 */
export function startFeedReceiver(opts: {
  station: FeedSink;
  receiver: ServiceBusReceiver;
  connectivity: Connectivity;
  batchSize: number;
}): FeedReceiver {
  const stats: FeedReceiverStats = { applied: 0, duplicates: 0, quarantined: 0, lastError: null };
  /** Completions sent and not yet answered (stop waits for them). */
  const completions = new Set<Promise<void>>();
  const { station, receiver, connectivity } = opts;
  // See core/settle-lane.ts: a dead-letter or abandon must not share a tick with a completion. One lane per SDK
  // receiver, so a receiver restarted while the old one still settles shares it.
  const lane = lanes.get(receiver) ?? settleLane();
  lanes.set(receiver, lane);
  const commits = groupCommit<unknown, FeedBatchItem>({
    maxBatch: opts.batchSize,
    defer: setImmediate,
    // Feed messages must apply in arrival order (a grant before its recall): after a failed item, the rest of its
    // batch is turned back too, so all of them are redelivered in order.
    ordered: true,
    commit: async (envelopes) => {
      const r = await station.call('feed.applyBatch', { envelopes });
      if (!r.ok) throw new Error(r.error.message);
      if (r.value.some((x) => x.status !== 'invalid')) {
        connectivity.reportFeedContact();
        connectivity.reportSuccess();
      }
      return r.value;
    },
  });

  async function quarantine(msg: ServiceBusReceivedMessage, text: string, reason: string): Promise<void> {
    await station.quarantineFeedMessage(text, reason, msg.messageId === undefined ? undefined : String(msg.messageId));
    await lane.alone(() =>
      receiver.deadLetterMessage(msg, {
        deadLetterReason: 'InvalidFeedMessage',
        deadLetterErrorDescription: reason.slice(0, 1000),
      }),
    );
    stats.quarantined++;
  }

  /** Never throws: the SDK would abandon the message itself, outside the settle lane. */
  async function processMessage(msg: ServiceBusReceivedMessage): Promise<void> {
    try {
      await handle(msg);
    } catch (e) {
      stats.lastError = `handling a feed message failed: ${e instanceof Error ? e.message : String(e)}`;
      // Not settled: the lock expires and the broker redelivers it.
    }
  }

  async function handle(msg: ServiceBusReceivedMessage): Promise<void> {
    const text = bodyText(msg.body);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text ?? '');
    } catch {
      return quarantine(msg, text ?? String(msg.body).slice(0, 1000), 'the body is not JSON');
    }
    let r: FeedBatchItem;
    try {
      r = await commits.submit(envelope);
    } catch (e) {
      // Our problem, not the message's (the database, a bug): leave it for redelivery.
      stats.lastError = e instanceof Error ? e.message : String(e);
      await lane.alone(() => receiver.abandonMessage(msg));
      return;
    }
    if (r.status === 'invalid') return quarantine(msg, text!, `Rejected feed message: ${r.reason}`);
    if (r.status === 'duplicate') stats.duplicates++;
    else stats.applied++;
    // The message is safe in the inbox: hand the SDK its credit back now and let the completion travel beside the
    // next messages. Awaiting the broker's answer here kept the link's credit tied up for a round trip after every
    // commit, so batches stayed small and each paid its own fsync (bench/README.md, sync.apply). A completion that
    // fails only means a redelivery, which the inbox answers as a duplicate.
    const completing = lane
      .shared(() => receiver.completeMessage(msg))
      .then(
        () => {
          stats.lastError = null; // receiving works again: an old error is no longer news for the status screen
        },
        (e: unknown) => {
          if (!stopping.signal.aborted)
            stats.lastError = `completing a feed message failed (it comes again): ${e instanceof Error ? e.message : String(e)}`;
        },
      )
      .finally(() => completions.delete(completing));
    completions.add(completing);
  }

  // Stopping ends the SDK's reconnect loop at once (its retry delays and link attempts take the signal) instead of
  // after its current delay or attempt timeout; what that loop reports while it ends is not news.
  const stopping = new AbortController();
  const subscription = receiver.subscribe(
    {
      processMessage,
      processError: async (args: ProcessErrorArgs) => {
        if (stopping.signal.aborted) return;
        stats.lastError = `receiving from HQ failed: ${args.error.message.slice(0, 300)}`;
        connectivity.reportFailure(args.error);
      },
    },
    { autoCompleteMessages: false, maxConcurrentCalls: opts.batchSize, abortSignal: stopping.signal },
  );

  return {
    stats: () => ({ ...stats }),
    stop: async () => {
      stopping.abort();
      await subscription.close();
      await commits.idle();
      // Completions still in flight get a moment to land; one sent on a link that has since died would hold the
      // stop until the SDK's operation timeout (~30 s, seen after a dropped and restored link), and losing it only
      // means a redelivery that the inbox answers as a duplicate.
      await Promise.race([
        Promise.all(completions),
        new Promise<void>((r) => setTimeout(r, COMPLETION_GRACE_MS).unref()),
      ]);
    },
  };
}

/** How long stopping waits for completions already sent. */
const COMPLETION_GRACE_MS = 1000;
