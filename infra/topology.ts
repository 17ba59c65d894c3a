/**
 * Lanyard's Service Bus topology (DESIGN §1, §6, §10) — the one definition. `npm run topology` generates from it the
 * emulator's Config.json (tools/servicebus-emulator/lanyard.config.json) and the ARM template of a real namespace
 * (infra/servicebus.json); tests, the demo and benchmarks build their emulator configs from it too.
 *
 *   station-events  ← every station sends; subscription `hq` (the ledger)
 *   station-feed    ← HQ publishes; one subscription `station-<id>` per station (held by the broker while it is away)
 *
 * Access is given per principal — one SAS rule name, one key, so one connection string each:
 *   station-<id>  Send on station-events; Listen on station-feed/station-<id> only
 *   hq            Listen on station-events/hq; Send on station-feed
 *   RootManageSharedAccessKey  Manage on the namespace (operators; never given to a station or to HQ)
 */
import { z } from 'zod';
import { StationId } from '../core/ids';

export type Right = 'Send' | 'Listen' | 'Manage';

export type Filter =
  | { kind: 'true' }
  | { kind: 'sql'; expression: string }
  | { kind: 'correlation'; label?: string; properties?: Record<string, string | number | boolean> };

export interface Rule {
  name: string;
  filter: Filter;
}

export interface Subscription {
  name: string;
  /** ISO-8601 durations, as both the emulator and ARM take them. */
  lockDuration: string;
  maxDeliveryCount: number;
  deadLetteringOnMessageExpiration: boolean;
  rules: Rule[];
}

export interface Topic {
  name: string;
  requiresDuplicateDetection: boolean;
  duplicateDetectionHistoryTimeWindow: string;
  defaultMessageTimeToLive: string;
  subscriptions: Subscription[];
}

/** What a principal may do on a topic, or on one subscription of it. */
export interface Grant {
  topic: string;
  subscription?: string;
  rights: Right[];
}

export interface Principal {
  /** The SAS rule name (`SharedAccessKeyName` in the connection string). */
  name: string;
  role: 'operator' | 'hq' | 'station';
  /** Namespace-wide rights (operators only). */
  namespaceRights?: Right[];
  grants: Grant[];
}

export interface Topology {
  namespace: string;
  topics: Topic[];
  principals: Principal[];
}

export const eventsTopic = 'station-events';
export const feedTopic = 'station-feed';
export const hqSubscription = 'hq';
export const hqPrincipal = 'hq';
export const operatorPrincipal = 'RootManageSharedAccessKey';
export const stationSubscription = (stationId: string) => `station-${stationId}`;
export const stationPrincipal = (stationId: string) => `station-${stationId}`;

/** The stations of the committed files (the emulator's Config.json, the ARM template): the demo venue's. */
export const venueStations = ['desk-a', 'desk-b', 'kiosk-1'];

const Duration = z
  .string()
  .regex(/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, 'must be an ISO-8601 duration like PT30S or P7D');
const Options = z.strictObject({
  stations: z.array(StationId).refine((s) => new Set(s).size === s.length, 'must not repeat a station'),
  /** Peek-lock duration of every subscription (tests shorten it to see redeliveries quickly). */
  lockDuration: Duration.default('PT30S'),
  /** Deliveries before the broker dead-letters a message (`MaxDeliveryCountExceeded`). */
  maxDeliveryCount: z.number().int().min(1).max(2000).default(10),
  /** Duplicate detection window: the most Service Bus allows. HQ's and the stations' inboxes cover longer absences. */
  duplicateWindow: Duration.default('P7D'),
  /** A message nobody took for this long is dead-lettered (a desk gone for longer re-imports the conference). */
  messageTimeToLive: Duration.default('P14D'),
});
export type TopologyOptions = z.input<typeof Options>;

export function defineTopology(options: TopologyOptions): Topology {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`invalid topology options: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const o = parsed.data;
  const subscription = (name: string): Subscription => ({
    name,
    lockDuration: o.lockDuration,
    maxDeliveryCount: o.maxDeliveryCount,
    deadLetteringOnMessageExpiration: true,
    // Every station takes the whole feed: registrants, availability, keys and cases concern all of them (a supervisor
    // console resolves another desk's oversell), and a verdict for another desk's sale is ignored by sale id.
    rules: [{ name: '$Default', filter: { kind: 'true' } }],
  });
  const topic = (name: string, subscriptions: Subscription[]): Topic => ({
    name,
    requiresDuplicateDetection: true,
    duplicateDetectionHistoryTimeWindow: o.duplicateWindow,
    defaultMessageTimeToLive: o.messageTimeToLive,
    subscriptions,
  });
  return {
    namespace: 'lanyard',
    topics: [
      topic(eventsTopic, [subscription(hqSubscription)]),
      topic(
        feedTopic,
        o.stations.map((s) => subscription(stationSubscription(s))),
      ),
    ],
    principals: [
      { name: operatorPrincipal, role: 'operator', namespaceRights: ['Manage'], grants: [] },
      {
        name: hqPrincipal,
        role: 'hq',
        grants: [
          { topic: eventsTopic, subscription: hqSubscription, rights: ['Listen'] },
          { topic: feedTopic, rights: ['Send'] },
        ],
      },
      ...o.stations.map((s): Principal => ({
        name: stationPrincipal(s),
        role: 'station',
        grants: [
          { topic: eventsTopic, rights: ['Send'] },
          { topic: feedTopic, subscription: stationSubscription(s), rights: ['Listen'] },
        ],
      })),
    ],
  };
}
