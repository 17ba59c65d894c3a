/**
 * Trying a connection string before it is saved (the settings screen): read it, open a sender on the events topic
 * (what the outbox relay needs: Send), peek at this station's own feed subscription (what the receiver needs:
 * Listen). Nothing is sent and nothing is taken off the feed. The secret never appears in the words: errors from the
 * SDK are redacted before they are shown.
 */
import { ServiceBusClient } from '@azure/service-bus';
import type { ConnectionCheck } from '../../core/api';
import { parseConnectionString, redactConnectionString, type SyncConfig } from './config';

type Step = ConnectionCheck['steps'][number];

export async function checkConnection(
  config: Pick<SyncConfig, 'connectionString' | 'eventsTopic' | 'feedTopic' | 'feedSubscription'>,
  stationId: string,
  timeoutMs = 8000,
): Promise<ConnectionCheck> {
  const parsed = parseConnectionString(config.connectionString);
  if (!parsed.ok)
    return {
      ok: false,
      endpoint: null,
      keyName: null,
      steps: [{ step: 'read', ok: false, words: `This is not a usable connection string: ${parsed.error}.` }],
    };
  const { endpoint, keyName } = parsed.value;
  const where = endpoint;
  const steps: Step[] = [
    { step: 'read', ok: true, words: `Endpoint ${where}, key ${keyName ?? '(a shared access signature)'}.` },
  ];
  const subscription = config.feedSubscription ?? `station-${stationId}`;
  const client = new ServiceBusClient(config.connectionString, {
    retryOptions: { maxRetries: 0, timeoutInMs: timeoutMs },
  });
  const bounded = <T>(p: Promise<T>): Promise<T> =>
    Promise.race([
      p,
      new Promise<T>((_, reject) =>
        setTimeout(
          () => reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'Timeout' })),
          timeoutMs + 500,
        ).unref(),
      ),
    ]);
  try {
    const sender = client.createSender(config.eventsTopic);
    try {
      await bounded(sender.createMessageBatch());
      steps.push({ step: 'send', ok: true, words: `May send on ${config.eventsTopic}.` });
    } catch (e) {
      steps.push({
        step: 'send',
        ok: false,
        words: wordsFor(e, `send on ${config.eventsTopic}`, where, config.connectionString),
      });
      return { ok: false, endpoint, keyName, steps };
    } finally {
      await sender.close().catch(() => {});
    }
    const receiver = client.createReceiver(config.feedTopic, subscription, { receiveMode: 'peekLock' });
    try {
      await bounded(receiver.peekMessages(1));
      steps.push({ step: 'listen', ok: true, words: `May listen on ${config.feedTopic}/${subscription}.` });
    } catch (e) {
      steps.push({
        step: 'listen',
        ok: false,
        words: wordsFor(e, `listen on ${config.feedTopic}/${subscription}`, where, config.connectionString),
      });
      return { ok: false, endpoint, keyName, steps };
    } finally {
      await receiver.close().catch(() => {});
    }
    return { ok: true, endpoint, keyName, steps };
  } finally {
    await client.close().catch(() => {});
  }
}

/** The SDK's failure in words for staff; never the key. */
function wordsFor(e: unknown, what: string, where: string, secretSource: string): string {
  const code = (e as { code?: unknown })?.code;
  const raw = e instanceof Error ? e.message : String(e);
  let text = redactConnectionString(raw);
  const key = /SharedAccess(?:Key|Signature)=([^;]+)/i.exec(secretSource)?.[1];
  if (key) text = text.split(key).join('***');
  text = text.replace(/\s+/g, ' ').slice(0, 240);
  if (code === 'UnauthorizedAccess') return `The bus refused this key: it may not ${what} (${text}).`;
  if (code === 'MessagingEntityNotFound') return `The bus has no such topic or subscription: cannot ${what} (${text}).`;
  if (code === 'Timeout' || code === 'ServiceTimeout' || code === 'OperationTimeoutError')
    return `No answer from ${where}: cannot ${what} (${text}).`;
  return `Could not ${what} at ${where}: ${text}.`;
}
