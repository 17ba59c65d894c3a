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

export interface StationBus {
  sender: ServiceBusSender;
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
  const sender = client.createSender(config.eventsTopic);
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
      await sender.close().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}

/** The wire form of an outbox row: JSON body, and the envelope's id as messageId (duplicate detection). */
export function toServiceBusMessage(
  row: { id: string; type: string; sessionId: string | null; body: string },
  origin: string,
): ServiceBusMessage {
  return {
    body: Buffer.from(row.body, 'utf8'),
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
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body && typeof body === 'object') return JSON.stringify(body);
  return null;
}
