/** Test support for sync: the Lanyard topology on the project's own Service Bus emulator, over the real SDK. */
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { randomUUID } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { lanyardTopology } from '../../tools/servicebus-emulator/lanyard-topology';
import { schemaVersion, type MessageType, type Payload } from '../../core/messages';
import { bodyText } from '../../main/sync/service-bus';

export { lanyardTopology };

export async function startBus(stations: string[], dataDir?: string): Promise<RunningEmulator> {
  return startEmulator({ config: lanyardTopology(stations), port: 0, ...(dataDir ? { dataDir } : {}) });
}

/** Short SDK retries so tests recover in well under a second. */
export const fastRetry = {
  retryOptions: { maxRetries: 5, retryDelayInMs: 100, maxRetryDelayInMs: 500, timeoutInMs: 5000 },
};

/** Plays HQ with the raw SDK: reads station events, publishes feed messages. */
export function fakeHq(connectionString: string, conferenceId = 'conf-1') {
  const client = new ServiceBusClient(connectionString, fastRetry);
  const sender = client.createSender('station-feed');
  const receiver = client.createReceiver('station-events', 'hq');
  let seq = 0;
  const feed = <T extends MessageType>(type: T, payload: Payload<T>) => ({
    id: randomUUID(),
    type,
    schema: schemaVersion[type],
    conferenceId,
    origin: 'hq',
    seq: ++seq,
    at: new Date().toISOString(),
    payload,
  });
  return {
    client,
    feed,
    async publish(...envelopes: unknown[]) {
      await sender.sendMessages(
        envelopes.map((e) => ({
          body: Buffer.from(JSON.stringify(e)),
          contentType: 'application/json',
          messageId: (e as { id?: string }).id ?? randomUUID(),
        })),
      );
    },
    async publishRaw(body: unknown, messageId = randomUUID()) {
      await sender.sendMessages({ body, messageId });
    },
    /** Receives (and completes) station events until `count` arrived or the deadline passed. */
    async drain(
      count: number,
      deadlineMs = 20_000,
    ): Promise<{ envelope: Record<string, unknown>; message: ServiceBusReceivedMessage }[]> {
      const out: { envelope: Record<string, unknown>; message: ServiceBusReceivedMessage }[] = [];
      const until = Date.now() + deadlineMs;
      while (out.length < count && Date.now() < until) {
        const batch = await receiver.receiveMessages(Math.min(500, count - out.length), { maxWaitTimeInMs: 500 });
        for (const m of batch) {
          out.push({ envelope: JSON.parse(bodyText(m.body) ?? 'null') as Record<string, unknown>, message: m });
          await receiver.completeMessage(m);
        }
      }
      return out;
    },
    async close() {
      await receiver.close();
      await sender.close();
      await client.close();
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
