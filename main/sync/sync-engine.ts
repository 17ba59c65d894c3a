/**
 * The sync engine of one station: connectivity, outbox relay and feed receiver over one Service Bus client.
 * Built by the station's composition root when sync is configured.
 */
import { BehaviorSubject, defer, filter, from, type Observable, type Subscription } from 'rxjs';
import type { Db, RawDb } from '../store/db';
import { outboxQueue } from '../store/queues';
import { startAllotmentKeeper } from './allotment-keeper';
import { parseConnectionString, type SyncConfig } from './config';
import { createConnectivity, type Connectivity, type ConnectivitySnapshot } from './connectivity';
import { startFeedReceiver, type FeedReceiver, type FeedReceiverStats, type FeedSink } from './feed-receiver';
import { brokerAddress, brokerAnswers } from './link-check';
import { createOutboxRelay, type OutboxRelay, type RelayProgress } from './outbox-relay';
import { openStationBus } from './service-bus';
import { startStreamRecoveryRequests } from './stream-recovery';

export interface SyncEngine {
  readonly connectivity: Connectivity;
  readonly relay: OutboxRelay;
  receiverStats(): FeedReceiverStats;
  setWorkOffline(on: boolean): void;
  info(): {
    connectivity: ConnectivitySnapshot;
    relay: RelayProgress;
    receiver: FeedReceiverStats;
    workOffline: boolean;
  };
  stop(): Promise<void>;
}

export function startSync(opts: {
  config: SyncConfig;
  stationId: string;
  db: Db;
  /** The same connection's raw handle: the relay's statements are prepared on it. */
  raw: RawDb;
  sink: FeedSink;
  /** Fires when a command appended to the outbox, so the relay sends at once. */
  outboxAppended$: Observable<unknown>;
  osOnline$?: Observable<boolean>;
  now?: () => number;
  /** The station sells seats (a desk, a supervisor's console): only then does it keep seats in hand (default true). */
  sells?: boolean;
}): SyncEngine {
  const now = opts.now ?? Date.now;
  const bus = openStationBus(opts.config, opts.stationId);
  const osOnline$ = opts.osOnline$ ?? new BehaviorSubject(true);
  const cs = parseConnectionString(opts.config.connectionString);
  if (!cs.ok) throw new Error(cs.error); // validated with the configuration: not expected
  const broker = brokerAddress(cs.value);
  const connectivity = createConnectivity({
    osOnline$,
    probe: () => defer(() => from(bus.probe())),
    linkCheck: () => defer(() => from(brokerAnswers(broker))),
    linkCheckMs: opts.config.retry.linkCheckMs,
    backoff: { initialMs: opts.config.retry.initialMs, maxMs: opts.config.retry.maxMs },
    feedFreshMs: opts.config.feedFreshMs,
  });
  const relay = createOutboxRelay({
    queue: outboxQueue(opts.db, opts.raw),
    sender: bus.sender,
    connectivity,
    origin: `station:${opts.stationId}`,
    batchSize: opts.config.batchSize,
    now,
  });
  const recovery = startStreamRecoveryRequests({
    db: opts.db,
    sender: bus.sender,
    connectivity,
    stationId: opts.stationId,
    now,
  });
  const keep = opts.sells === false ? 0 : opts.config.keepSeatsInHand;
  const keeper =
    keep === 'adaptive' || keep > 0
      ? startAllotmentKeeper({ station: opts.sink, connectivity, keep, ...opts.config.allotmentKeeper, now })
      : null;

  // The receiver runs unless staff switched to working offline or the OS says the network is gone; while the
  // broker is merely unreachable, the SDK's subscription reconnects by itself.
  // Its changes run one after another, each once the last has finished: the SDK stops a subscription by draining
  // the link's credit, and a subscription started before that drain was answered gets its credit drained too — it
  // then hears nothing more, and nothing says so (a desk that worked offline for a moment missed HQ's answers).
  let workOffline = false;
  let osOnline = true;
  let stopping = false;
  let receiver: FeedReceiver | null = null;
  let lastStats: FeedReceiverStats = { applied: 0, duplicates: 0, quarantined: 0, lastError: null };
  let receiverChanges: Promise<void> = Promise.resolve();
  const syncReceiver = () => {
    receiverChanges = receiverChanges
      .then(async () => {
        const want = !workOffline && osOnline && !stopping;
        if (want && !receiver)
          receiver = startFeedReceiver({
            station: opts.sink,
            receiver: bus.receiver,
            connectivity,
            batchSize: opts.config.feedBatchSize,
          });
        if (!want && receiver) {
          const r = receiver;
          lastStats = r.stats();
          receiver = null;
          await r.stop().catch(() => {}); // closing a receiver on a dead link may fail; it is gone either way
          lastStats = r.stats();
        }
      })
      .catch((e: unknown) => {
        // Not expected (the SDK refused to subscribe): say so on the status screen; the next change tries again.
        lastStats = {
          ...lastStats,
          lastError: `receiving from HQ failed: ${e instanceof Error ? e.message.slice(0, 300) : String(e)}`,
        };
      });
  };

  const subs: Subscription[] = [
    osOnline$.subscribe((on) => {
      osOnline = on;
      syncReceiver();
    }),
    connectivity.state$
      .pipe(filter((s) => s.state === 'online' || s.state === 'degraded'))
      .subscribe(() => relay.kick()),
    opts.outboxAppended$.subscribe(() => relay.kick()),
  ];
  syncReceiver();

  return {
    connectivity,
    relay,
    receiverStats: () => receiver?.stats() ?? lastStats,
    setWorkOffline(on) {
      workOffline = on;
      connectivity.setWorkOffline(on);
      syncReceiver();
    },
    info: () => ({
      connectivity: connectivity.snapshot(),
      relay: relay.progress(),
      receiver: receiver?.stats() ?? lastStats,
      workOffline,
    }),
    async stop() {
      for (const s of subs) s.unsubscribe();
      recovery.stop();
      await keeper?.stop();
      await relay.stop();
      stopping = true;
      syncReceiver();
      await receiverChanges;
      connectivity.dispose();
      await bus.close();
    },
  };
}
