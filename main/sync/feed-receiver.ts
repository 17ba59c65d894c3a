/**
 * The feed receiver: peek-lock on the station's own subscription. For each message: validate, then record in the
 * inbox and apply in one transaction (the station's `feed.apply`), then complete. A redelivered message is found in
 * the inbox and completed without a second apply. An invalid message is dead-lettered with a reason and kept in the
 * local quarantine list; the receiver goes on.
 */
import type { ProcessErrorArgs, ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import type { StationApi } from '../../core/api';
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
  stop(): Promise<void>;
}

/** What the receiver needs of the station: its API, and the local quarantine list. */
export interface FeedSink extends Pick<StationApi, 'call'> {
  quarantineFeedMessage(body: string, reason: string, messageId?: string): Promise<void>;
}

export function startFeedReceiver(opts: { station: FeedSink; receiver: ServiceBusReceiver; connectivity: Connectivity }): FeedReceiver {
  const stats: FeedReceiverStats = { applied: 0, duplicates: 0, quarantined: 0, lastError: null };
  const { station, receiver, connectivity } = opts;

  async function quarantine(msg: ServiceBusReceivedMessage, text: string, reason: string): Promise<void> {
    await station.quarantineFeedMessage(text, reason, msg.messageId === undefined ? undefined : String(msg.messageId));
    await receiver.deadLetterMessage(msg, { deadLetterReason: 'InvalidFeedMessage', deadLetterErrorDescription: reason.slice(0, 1000) });
    stats.quarantined++;
  }

  async function processMessage(msg: ServiceBusReceivedMessage): Promise<void> {
    const text = bodyText(msg.body);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text ?? '');
    } catch {
      return quarantine(msg, text ?? String(msg.body).slice(0, 1000), 'the body is not JSON');
    }
    const r = await station.call('feed.apply', { envelope });
    if (!r.ok) {
      if (r.error.code === 'invalid_input') return quarantine(msg, text!, r.error.message);
      // Anything else is our problem, not the message's: leave it for redelivery.
      stats.lastError = r.error.message;
      await receiver.abandonMessage(msg);
      return;
    }
    if (r.value.status === 'duplicate') stats.duplicates++;
    else stats.applied++;
    await receiver.completeMessage(msg);
    stats.lastError = null; // receiving works again: an old error is no longer news for the status screen
    connectivity.reportFeedContact();
    connectivity.reportSuccess();
  }

  const subscription = receiver.subscribe(
    {
      processMessage,
      processError: async (args: ProcessErrorArgs) => {
        stats.lastError = `receiving from HQ failed: ${args.error.message.slice(0, 300)}`;
        connectivity.reportFailure(args.error);
      },
    },
    { autoCompleteMessages: false, maxConcurrentCalls: 1 },
  );

  return {
    stats: () => ({ ...stats }),
    stop: () => subscription.close(),
  };
}
