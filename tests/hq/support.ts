/** Test support for HQ: a running ledger service on the emulator, and stations played with the raw SDK. */
import { ServiceBusClient, type ServiceBusReceiver, type ServiceBusSender } from '@azure/service-bus';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConferenceFile } from '../../core/conference';
import type { SaleBasis } from '../../core/policy';
import { schemaVersion, type MessageType, type Payload, type StationEventType } from '../../core/messages';
import { parseHqConfig, type HqConfigInput } from '../../hq/config';
import { startHq, type HqOptions, type HqService } from '../../hq/service';
import { bodyText } from '../../main/sync/service-bus';
import { fastRetry, waitFor } from '../support/bus';

export async function startTestHq(
  dir: string,
  connectionString: string,
  conference: ConferenceFile,
  overrides: Partial<HqConfigInput> = {},
  name = 'hq',
  options: HqOptions = {},
): Promise<HqService> {
  const conferenceFile = join(dir, `${name}-conference.json`);
  writeFileSync(conferenceFile, JSON.stringify(conference));
  const config = parseHqConfig({
    connectionString,
    dbPath: join(dir, `${name}.db`),
    conferenceFile,
    heartbeatSeconds: 1,
    housekeepingSeconds: 0.2,
    ...overrides,
  });
  return startHq(config, options);
}

/**
 * The basis a station sends with a SeatSold: an online sale of one seat of ten with the seed's settings, changed by
 * `over` (what HQ records of a sale's decision; the tests only need it to be a valid one).
 */
export function saleBasis(over: Partial<SaleBasis> = {}): SaleBasis {
  return {
    online: true,
    allotmentRemaining: 0,
    stalenessMin: 0,
    stalenessUnknownReason: null,
    maxStalenessMin: 60,
    capacity: 10,
    sold: 1,
    allotted: 0,
    unallocated: 9,
    remainingRatio: 0.9,
    minRemainingRatio: 0.1,
    salesRatePerMin: 0,
    alpha: 0.05,
    z: 1.64,
    expectedSalesSinceSync: 0,
    kMax: 2,
    pendingOverdraft: 0,
    overdraftCap: 2,
    failed: [],
    ...over,
  };
}

/** A station played with the raw SDK: it numbers its events like a real one and sends them to station-events. */
export function rawStation(client: ServiceBusClient, stationId: string, conferenceId: string) {
  const sender: ServiceBusSender = client.createSender('station-events');
  let seq = 0;
  return {
    origin: `station:${stationId}`,
    event<T extends StationEventType>(type: T, payload: Payload<T>, opts: { seq?: number } = {}) {
      return {
        id: randomUUID(),
        type,
        schema: schemaVersion[type],
        conferenceId,
        origin: `station:${stationId}`,
        seq: opts.seq ?? ++seq,
        at: new Date().toISOString(),
        payload,
      };
    },
    async send(...envelopes: object[]) {
      await sender.sendMessages(
        envelopes.map((e) => ({
          body: Buffer.from(JSON.stringify(e)),
          contentType: 'application/json',
          messageId: (e as { id: string }).id,
        })),
      );
    },
    /** Sends under a fresh bus message id: what a re-send looks like once the broker's duplicate window has passed. */
    async resendAfterWindow(envelope: object) {
      await sender.sendMessages({
        body: Buffer.from(JSON.stringify(envelope)),
        contentType: 'application/json',
        messageId: randomUUID(),
      });
    },
    async sendRaw(body: string) {
      await sender.sendMessages({ body: Buffer.from(body), contentType: 'application/json', messageId: randomUUID() });
    },
  };
}

export interface FeedEnvelope {
  id: string;
  type: MessageType;
  seq: number;
  at: string;
  payload: Record<string, unknown> & { sessionId?: string; saleId?: string; station?: string; version?: number };
  properties: Record<string, unknown>;
}

/** Reads a station's feed subscription continuously into `got`. */
export function feedReader(client: ServiceBusClient, stationId: string) {
  const receiver: ServiceBusReceiver = client.createReceiver('station-feed', `station-${stationId}`, {
    receiveMode: 'receiveAndDelete',
  });
  const got: FeedEnvelope[] = [];
  const sub = receiver.subscribe(
    {
      processMessage: async (m) => {
        const env = JSON.parse(bodyText(m.body) ?? 'null') as Omit<FeedEnvelope, 'properties'>;
        got.push({ ...env, properties: (m.applicationProperties ?? {}) as Record<string, unknown> });
      },
      processError: async () => {},
    },
    { autoCompleteMessages: false },
  );
  return {
    got,
    of<T extends MessageType>(type: T) {
      return got.filter((g) => g.type === type);
    },
    async waitFor(check: (got: FeedEnvelope[]) => boolean, what: string, timeoutMs = 10_000) {
      await waitFor(() => check(got), timeoutMs, what);
    },
    /** The latest availability per session seen on this feed. */
    latestAvailability() {
      const m = new Map<string, Record<string, unknown>>();
      for (const g of got)
        if (g.type === 'SeatAvailability') {
          const prev = m.get(g.payload.sessionId!);
          if (!prev || (prev.version as number) <= g.payload.version!) m.set(g.payload.sessionId!, g.payload);
        }
      return m;
    },
    async close() {
      await sub.close();
      await receiver.close();
    },
  };
}

export function busClient(connectionString: string): ServiceBusClient {
  return new ServiceBusClient(connectionString, fastRetry);
}
