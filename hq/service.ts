/**
 * The HQ service: the ledger between two Service Bus entities.
 *
 * - Receives `station-events/Subscriptions/hq` in peek-lock. Messages are group-committed: whatever arrived while
 *   the previous batch was being written is applied in the next single transaction, then each message is
 *   completed (or dead-lettered with its reason). A crash before completion means a redelivery that the inbox
 *   recognises.
 * - Publishes the feed outbox to `station-feed` in seq order with the envelope id as messageId, and marks rows
 *   sent afterwards; a crash in between re-sends, which duplicate detection and the stations' inboxes absorb.
 * - Timers: Heartbeat every `heartbeatSeconds`; reclaim/recall housekeeping every `housekeepingSeconds`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  RetryMode,
  ServiceBusClient,
  type ServiceBusMessage,
  type ServiceBusReceivedMessage,
} from '@azure/service-bus';
import { groupCommit } from '../core/group-commit';
import { settleLane } from '../core/settle-lane';
import { ConferenceFile, describeIssues } from '../core/conference';
import { stripBom } from '../core/file-text';
import { BrokerLink, type BrokerLinkOptions } from './broker-link';
import { describeEvent } from './describe';
import { openHqLog } from './log';
import { HqConfigError, redact, type HqConfig } from './config';
import { healthReport, startHealthServer, type HealthServer } from './health';
import { Ledger, type Disposition, type LedgerEvent } from './ledger';
import { openHqDb } from './store/db';

export interface HqService {
  readonly ledger: Ledger;
  /** Where GET /health answers on 127.0.0.1 (config `healthPort`), or null when it is off. */
  readonly healthPort: number | null;
  /** Resolves when the feed outbox is empty and no batch is being applied. */
  idle(timeoutMs?: number): Promise<void>;
  stats(): HqStats;
  stop(): Promise<void>;
}

export interface HqStats {
  received: number;
  applied: number;
  deadLettered: number;
  published: number;
  batches: number;
  lastError: string | null;
}

export interface HqOptions {
  /** One line per notable thing (start, errors); default: silent. */
  log?: (line: string) => void;
  onEvent?: (e: LedgerEvent) => void;
  now?: () => number;
  /** Backoff and log cadence while the broker cannot be reached (defaults: 500 ms doubling to 30 s; a line a minute). */
  brokerLink?: Pick<BrokerLinkOptions, 'firstRetryMs' | 'maxRetryMs' | 'summaryEveryMs'>;
}

/** The configured conference file; a problem with it is a configuration error naming the field. */
export function readConferenceFile(path: string): ConferenceFile {
  let json: unknown;
  try {
    json = JSON.parse(stripBom(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new HqConfigError(
      `invalid HQ configuration: conferenceFile: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const r = ConferenceFile.safeParse(json);
  if (!r.success)
    throw new HqConfigError(
      `invalid HQ configuration: conferenceFile: ${path} is not a valid conference file: ${describeIssues(r.error)}`,
    );
  return r.data;
}

/** The ledger's database must be a file in a folder that exists (SQLite's own "unable to open" names nothing). */
function checkDbPath(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new HqConfigError(
      `invalid HQ configuration: dbPath: ${path} is a folder; give the ledger's database file (created if missing)`,
    );
  if (!existsSync(dirname(path)))
    throw new HqConfigError(`invalid HQ configuration: dbPath: the folder ${dirname(path)} does not exist`);
}

/** `sb://host:port` of a connection string, for log lines (the key never appears). */
function endpointOf(connectionString: string): string {
  return /Endpoint\s*=\s*(sb:\/\/[^;/]+)/i.exec(connectionString)?.[1] ?? 'the configured endpoint';
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return JSON.stringify(body ?? null);
}

export async function startHq(config: HqConfig, options: HqOptions = {}): Promise<HqService> {
  // Configuration errors first: the log folder must not create the database's missing folder.
  const file = readConferenceFile(config.conferenceFile);
  checkDbPath(config.dbPath);
  const hqLog = await openHqLog(config.logDir ?? join(dirname(config.dbPath), 'logs'), config.log);
  const log = (line: string) => {
    hqLog.logger.info(line);
    options.log?.(line);
  };
  // Ledger events in the file: decisions and problems at info, the chatty ones (availability, duplicates) at debug.
  const onEvent = (e: LedgerEvent) => {
    const line = describeEvent(e);
    if (line) hqLog.logger[e.type === 'dead-letter' ? 'warn' : 'info']({ event: e.type }, line);
    else hqLog.logger.debug({ event: e.type }, e.type);
    options.onEvent?.(e);
  };
  try {
    return await startHqLogged(config, file, options, log, onEvent, hqLog);
  } catch (e) {
    if (!hqLog.closed())
      hqLog.logger.error({ err: { message: e instanceof Error ? e.message : String(e) } }, 'HQ could not start'); // a failed start may have stopped (and closed) it
    await hqLog.close();
    throw e;
  }
}

async function startHqLogged(
  config: HqConfig,
  file: ConferenceFile,
  options: HqOptions,
  log: (line: string) => void,
  onEvent: (e: LedgerEvent) => void,
  hqLog: { logger: { info(msg: string): void }; close(): Promise<void> },
): Promise<HqService> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const opened = await openHqDb(config.dbPath);
  const ledger = new Ledger(opened.db, { ...config, ...(options.now ? { now: options.now } : {}) }, opened.writer);
  try {
    const seeded = await ledger.seed(file);
    log(
      `ledger ${seeded === 'seeded' ? 'seeded from' : 'kept; conference file'} ${config.conferenceFile} (${file.sessions.length} sessions)`,
    );
  } catch (e) {
    await opened.close();
    throw e;
  }
  ledger.onEvent(onEvent);

  const stats: HqStats = { received: 0, applied: 0, deadLettered: 0, published: 0, batches: 0, lastError: null };
  const client = new ServiceBusClient(config.connectionString, {
    // Short exponential retries: the SDK's default (a fixed 30 s) would leave stations waiting for verdicts.
    retryOptions: {
      mode: RetryMode.Exponential,
      maxRetries: 3,
      retryDelayInMs: 100,
      maxRetryDelayInMs: 2000,
      timeoutInMs: 10_000,
    },
  });
  const sender = client.createSender(config.feedTopic);
  const receiver = client.createReceiver(config.eventsTopic, config.eventsSubscription, { receiveMode: 'peekLock' });
  let stopped = false;
  let closing = false;

  // ---- publishing -----------------------------------------------------------------------------------------------
  const link = new BrokerLink({
    endpoint: endpointOf(config.connectionString),
    log,
    ...(options.now ? { now: options.now } : {}),
    ...options.brokerLink,
    // One side got through (a message received, a batch published): the other need not wait out its backoff.
    onRecovered: () => {
      if (publishRetry) {
        clearTimeout(publishRetry);
        publishRetry = null;
        publish();
      }
      if (resubscribe) {
        clearTimeout(resubscribe);
        resubscribe = null;
        if (!stopped && !closing) subscribe();
      }
    },
  });
  let publishing: Promise<void> | null = null;
  let publishAgain = false;
  let publishRetry: NodeJS.Timeout | null = null;
  const publishBackoff = link.backoff();

  async function publishOnce(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const rows = await ledger.unsentFeed(500);
      if (rows.length === 0) return;
      let batch = await sender.createMessageBatch();
      const sent: number[] = [];
      for (const row of rows) {
        const msg: ServiceBusMessage = {
          body: Buffer.from(row.body, 'utf8'),
          contentType: 'application/json',
          messageId: row.id,
          subject: row.type,
          applicationProperties: {
            type: row.type,
            origin: 'hq',
            ...(row.station ? { station: row.station } : {}),
            ...(row.session_id ? { sessionId: row.session_id } : {}),
          },
        };
        if (!batch.tryAddMessage(msg)) {
          if (batch.count === 0)
            throw new Error(`feed message ${row.seq} is larger than the broker's message size limit`);
          await sender.sendMessages(batch);
          await ledger.markFeedSent(sent.splice(0));
          batch = await sender.createMessageBatch();
          if (!batch.tryAddMessage(msg))
            throw new Error(`feed message ${row.seq} is larger than the broker's message size limit`);
        }
        sent.push(row.seq);
      }
      await sender.sendMessages(batch);
      link.ok();
      await ledger.markFeedSent(sent);
      stats.published += rows.length;
      publishBackoff.reset();
    }
  }

  function publish(): void {
    if (stopped) return;
    if (publishRetry) return; // backing off: the scheduled retry publishes everything pending
    if (publishing) {
      publishAgain = true;
      return;
    }
    publishing = publishOnce()
      .catch((e: unknown) => {
        const message = redact(e instanceof Error ? e.message : String(e)).slice(0, 300);
        stats.lastError = `publishing to ${config.feedTopic} failed: ${message}`;
        link.failed(`publishing to ${config.feedTopic}`, message);
        if (!stopped && !publishRetry)
          publishRetry = setTimeout(() => ((publishRetry = null), publish()), publishBackoff.next());
      })
      .finally(() => {
        publishing = null;
        if (publishAgain && !stopped) {
          publishAgain = false;
          publish();
        }
      });
  }

  // ---- receiving: group commit ----------------------------------------------------------------------------------
  // Messages arriving together share one transaction. A batch that fails is retried one by one; what still fails
  // is abandoned (redelivered, and dead-lettered by the broker after its max delivery count).
  const commits = groupCommit<ServiceBusReceivedMessage, Disposition>({
    maxBatch: config.batchSize,
    defer: setImmediate,
    commit: async (msgs) => {
      const out = await ledger.applyBatch(
        msgs.map((m) => ({
          messageId: m.messageId === undefined ? null : String(m.messageId),
          body: bodyText(m.body),
        })),
      );
      stats.batches++;
      return out;
    },
    afterBatch: publish,
    onItemError: (e) => {
      stats.lastError = `applying a station event failed: ${e instanceof Error ? e.message : String(e)}`;
      log(stats.lastError);
    },
  });

  const lane = settleLane(); // see core/settle-lane.ts: a dead-letter must not share a tick with a completion
  // While the broker cannot be reached the SDK would retry the receiver every retryDelayInMs, forever, reporting each
  // attempt. HQ closes the subscription at the first error and subscribes again after its own backoff instead.
  let subscription: { close(): Promise<void> } | null = null;
  let resubscribe: NodeJS.Timeout | null = null;
  const receiveBackoff = link.backoff();
  const receiving = `receiving from ${config.eventsTopic}/${config.eventsSubscription}`;
  const subscribe = () => {
    subscription = receiver.subscribe(
      {
        // Never throws: the SDK would abandon the message itself, outside the settle lane.
        processMessage: async (msg) => {
          link.ok();
          try {
            // Stopping: leave it to the next HQ (abandoned messages are redelivered at once).
            if (closing) throw new Error('HQ is stopping');
            stats.received++;
            const d = await commits.submit(msg);
            if (d.action === 'complete') {
              stats.applied++;
              await lane.shared(() => receiver.completeMessage(msg));
            } else {
              stats.deadLettered++;
              await lane.alone(() =>
                receiver.deadLetterMessage(msg, {
                  deadLetterReason: 'PoisonStationEvent',
                  deadLetterErrorDescription: d.reason.slice(0, 1000),
                }),
              );
            }
          } catch {
            // Not applied (stopping, or the database failed): redelivered, and dead-lettered by the broker after its
            // max delivery count if it keeps failing. If even the abandon fails, the lock expires.
            await lane.alone(() => receiver.abandonMessage(msg)).catch(() => {});
          }
        },
        processError: async (args) => {
          if (stopped || closing || !subscription) return; // paused: an attempt already counted
          const message = redact(args.error.message).slice(0, 300);
          stats.lastError = `${receiving} failed: ${message}`;
          link.failed(receiving, message);
          if (args.errorSource !== 'receive') return; // a message's own trouble, not the link's
          const current = subscription;
          subscription = null;
          await current.close().catch(() => {});
          if (stopped || closing) return;
          resubscribe = setTimeout(() => {
            resubscribe = null;
            if (!stopped && !closing) subscribe();
          }, receiveBackoff.next());
        },
      },
      { autoCompleteMessages: false, maxConcurrentCalls: config.batchSize },
    );
  };
  subscribe();

  // ---- timers ---------------------------------------------------------------------------------------------------
  const guarded = (what: string, f: () => Promise<unknown>) => () => {
    if (stopped) return;
    f()
      .then(publish)
      .catch((e: unknown) => log(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  const heartbeat = setInterval(
    guarded('heartbeat', () => ledger.heartbeat()),
    config.heartbeatSeconds * 1000,
  );
  const housekeeping = setInterval(
    guarded('housekeeping', () => ledger.housekeeping()),
    config.housekeepingSeconds * 1000,
  );
  // Sales waiting for seats asked back from other stations: decided when their wait runs out (nothing to do, and no
  // database read, while none waits).
  const seatWaits = setInterval(
    () => {
      if (stopped) return;
      ledger
        .expireSeatWaits()
        .then((decided) => decided > 0 && publish())
        .catch((e: unknown) => log(`seat waits failed: ${e instanceof Error ? e.message : String(e)}`));
    },
    Math.max(50, Math.min(250, config.seatWaitMs / 4)),
  );

  // Current numbers for everyone (stations that already hold this version ignore them), snapshots for newcomers.
  await ledger.republishAvailability();
  await ledger.heartbeat();
  const snap = await ledger.snapshotsForNewcomers(config.snapshotFor);
  if (snap.length) log(`conference snapshot sent to ${snap.join(', ')}`);
  publish();
  log(
    `HQ listening on ${config.eventsTopic}/${config.eventsSubscription}, publishing to ${config.feedTopic} (${redact(config.connectionString)})`,
  );

  let health: HealthServer | null = null;
  const service: HqService = {
    ledger,
    get healthPort() {
      return health?.port ?? null;
    },
    stats: () => ({ ...stats }),
    async idle(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (commits.pending() === 0 && !publishing && (await ledger.unsentFeed(1)).length === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`HQ not idle after ${timeoutMs} ms`);
    },
    async stop() {
      if (stopped) return;
      await health?.close();
      clearInterval(heartbeat);
      clearInterval(housekeeping);
      clearInterval(seatWaits);
      // Let the batch in flight commit and its messages settle, then stop.
      closing = true;
      if (resubscribe) clearTimeout(resubscribe);
      await commits.idle();
      await subscription?.close().catch(() => {});
      link.close();
      stopped = true;
      commits.close(new Error('HQ is stopping'));
      if (publishRetry) clearTimeout(publishRetry);
      while (publishing) await publishing;
      await receiver.close().catch(() => {});
      await sender.close().catch(() => {});
      await client.close().catch(() => {});
      await opened.close();
      hqLog.logger.info('stopped');
      await hqLog.close();
    },
  };
  if (config.healthPort !== undefined) {
    try {
      health = await startHealthServer(config.healthPort, () =>
        healthReport({ db: opened.db, startedAt, now, pending: () => commits.pending(), stats: () => stats }),
      );
    } catch (e) {
      await service.stop();
      throw new Error(
        `the health endpoint cannot listen on 127.0.0.1:${config.healthPort}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    log(`health endpoint on http://127.0.0.1:${health.port}/health`);
  }
  return service;
}
