/**
 * The station's Service Bus transport: one client, a sender on the events topic and a peek-lock receiver on the
 * station's own feed subscription. Retries are short and exponential: the SDK's default (a fixed 30 s) would
 * keep a desk "offline" long after the Wi-Fi came back.
 */
import {
  RetryMode,
  ServiceBusClient,
  type ServiceBusMessage,
  type ServiceBusReceiver,
  type ServiceBusSender,
} from '@azure/service-bus';
import type { SyncConfig } from './config';

/** What the station sends with: batches for the outbox relay, single messages for stream recovery. */
export type StationSender = Pick<ServiceBusSender, 'createMessageBatch' | 'sendMessages'>;

export interface StationBus {
  sender: StationSender;
  receiver: ServiceBusReceiver;
  /** One round trip that proves the link: opens the sender link (no message is sent). */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export function openStationBus(config: SyncConfig, stationId: string): StationBus {
  const client = new ServiceBusClient(config.connectionString, {
    retryOptions: {
      mode: RetryMode.Exponential,
      maxRetries: 2,
      retryDelayInMs: Math.min(config.retry.initialMs, 1000),
      maxRetryDelayInMs: Math.min(config.retry.maxMs, 5000),
      timeoutInMs: 10_000,
    },
  });
  const sdkSender = client.createSender(config.eventsTopic);
  // Every batch the relay sends starts with createMessageBatch, once the link is open: a connection the SDK opened
  // again by itself (after a drop) has Nagle's algorithm turned off too before its first batch.
  const sender: StationSender = {
    createMessageBatch: async (options) => {
      const batch = await sdkSender.createMessageBatch(options);
      noNagle(client);
      return batch;
    },
    sendMessages: (messages, options) => sdkSender.sendMessages(messages, options),
  };
  const receiver = client.createReceiver(config.feedTopic, config.feedSubscription ?? `station-${stationId}`, {
    receiveMode: 'peekLock',
  });
  return {
    sender,
    receiver,
    probe: async () => {
      await sender.createMessageBatch();
    },
    close: async () => {
      await receiver.close().catch(() => {});
      await sdkSender.close().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/**
 * Turns Nagle's algorithm off on the client's AMQP socket (TCP_NODELAY), as AMQP clients usually do. With it on, the
 * tail of a batch larger than one TCP segment waits for the broker to acknowledge the segments before it, and the
 * broker's kernel delays that acknowledgement by up to 40 ms: the sync.drain profile showed one such 40 ms stall in
 * most drains of 10,000 rows (~10 % of the drain). The SDK has no option for it, and rhea turns it off only when a
 * receiver is attached through its Connection, which rhea-promise bypasses; so the socket is reached through the
 * client's internals, guarded: if an SDK version moves them, this returns false and changes nothing
 * (tests/sync/no-nagle.test.ts holds the current SDK to it).
 */
export function noNagle(client: ServiceBusClient): boolean {
  const socket = (client as unknown as ClientInternals)._connectionContext?.connection?._connection?.socket;
  if (typeof socket?.setNoDelay !== 'function') return false;
  socket.setNoDelay(true);
  return true;
}
type ClientInternals = {
  _connectionContext?: { connection?: { _connection?: { socket?: { setNoDelay?: (on: boolean) => unknown } } } };
};

/** The wire form of an outbox row: JSON body, and the envelope's id as messageId (duplicate detection). */
export function toServiceBusMessage(
  row: { id: string; type: string; sessionId: string | null; body: string | Buffer },
  origin: string,
): ServiceBusMessage {
  return {
    body: typeof row.body === 'string' ? Buffer.from(row.body, 'utf8') : row.body,
    contentType: 'application/json',
    messageId: row.id,
    subject: row.type,
    applicationProperties: row.sessionId
      ? { type: row.type, origin, sessionId: row.sessionId }
      : { type: row.type, origin },
  };
}

/** A received body as JSON text, whichever way the sender encoded it. */
export function bodyText(body: unknown): string | null {
  if (typeof body === 'string') return body;
  // Read in place: Buffer.from(a Uint8Array) would copy every feed message first (sync.apply profile).
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body && typeof body === 'object') return JSON.stringify(body);
  return null;
}
