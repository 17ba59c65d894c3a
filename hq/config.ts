/**
 * HQ configuration (a JSON file), validated at the boundary. Errors name the field; the connection string's
 * secret never appears in an error or a log line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultGrant, defaultSeatWait } from '../core/allotment-sizing';
import { stripBom } from '../core/file-text';
import { DeadlineAction } from '../core/conference';
import { StationId } from '../core/ids';
import { LogConfig } from '../core/logging';

const EntityName = z
  .string()
  .min(1)
  .max(260)
  .regex(/^[A-Za-z0-9][\w.\-/]*$/, 'may contain letters, digits, . _ - and /');

export const HqConfig = z
  .object({
    /** `Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…[;UseDevelopmentEmulator=true]`. */
    connectionString: z
      .string()
      .min(1, 'is required')
      .max(4096)
      .refine((s) => /(^|;)\s*Endpoint\s*=\s*sb:\/\/[^;]+/i.test(s), 'needs Endpoint=sb://<host>/')
      .refine(
        (s) => /SharedAccessKey(Name)?\s*=|SharedAccessSignature\s*=/i.test(s),
        'needs SharedAccessKeyName and SharedAccessKey (or a SharedAccessSignature)',
      ),
    /** SQLite file of the ledger (created if missing). Relative paths are relative to the config file. */
    dbPath: z.string().min(1, 'is required'),
    /** The conference to seed capacity from (lanyard.conference/1); read once, when the ledger is empty. */
    conferenceFile: z.string().min(1, 'is required'),
    eventsTopic: EntityName.default('station-events'),
    eventsSubscription: EntityName.default('hq'),
    feedTopic: EntityName.default('station-feed'),
    /** Heartbeat period (stations measure staleness and feed freshness from it). */
    heartbeatSeconds: z.number().min(0.05).max(3600).default(30),
    /**
     * A grant (core/allotment-sizing.ts grantSeats) is what the station asked for, up to allotmentShare × the
     * unallocated seats, or more: up to the unallocated seats minus allotmentKeepBack × the session's forecast demand
     * (its sales rate × minutes until it starts).
     */
    allotmentShare: z.number().min(0).max(1).default(defaultGrant.allotmentShare),
    /** null: grant the share only (no forecast). */
    allotmentKeepBack: z.number().min(0).max(100).nullable().default(defaultGrant.allotmentKeepBack),
    /**
     * An online sale that finds no seat (pool empty, nothing in its station's hands) while other stations hold unused
     * seats for the session: HQ asks those it heard from within `seatWaitAskWithinSeconds` to give them back, and
     * the sale waits up to this long for them before it is refused. Keep it under the stations' verdict timeout
     * (3 s). 0: no asking, refused at once.
     */
    seatWaitMs: z.number().int().min(0).max(10_000).default(defaultSeatWait.waitMs),
    seatWaitAskWithinSeconds: z
      .number()
      .min(0)
      .max(3600)
      .default(defaultSeatWait.askHeardWithinMin * 60),
    /** Allotments of a station HQ has not heard from for this long are reclaimed (seats back in the pool). */
    reclaimAfterMinutes: z
      .number()
      .min(0.001)
      .max(7 * 24 * 60)
      .default(240),
    /** Active allotments of a session are recalled this long before it starts (desks return theirs earlier). */
    recallBeforeStartMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(10),
    /** Smoothing window τ of the sales rate (EWMA, seats per minute). */
    salesRateWindowMinutes: z
      .number()
      .min(0.01)
      .max(24 * 60)
      .default(15),
    /** How often reclaim and recall are checked. */
    housekeepingSeconds: z.number().min(0.05).max(3600).default(15),
    /** Largest number of station events applied in one transaction. */
    batchSize: z.number().int().min(1).max(1000).default(100),
    /** Registrants per ConferenceSnapshotChunk. */
    snapshotChunkSize: z.number().int().min(1).max(2000).default(250),
    /** Stations that get the conference snapshot once (late joiners without a conference of their own). */
    snapshotFor: z.array(StationId).max(1000).default([]),
    /**
     * Oversell cases (DESIGN §8; a conference's `reconciliation` overrides each): due this long after they open, or
     * this long before their session starts, whichever is first; every supervisor is alerted this long before; at
     * the deadline HQ applies the default action (a session without room for an extra chair waitlists instead).
     */
    caseDueAfterMinutes: z
      .number()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
    caseDueBeforeStartMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(10),
    caseEscalateBeforeDueMinutes: z
      .number()
      .min(0)
      .max(24 * 60)
      .default(15),
    caseDefaultAction: DeadlineAction.default('honor'),
    /** Port of the health endpoint, GET http://127.0.0.1:<port>/health (loopback only); absent: off; 0: any free port. */
    healthPort: z.number().int().min(0).max(65535).optional(),
    /** Log files (hq.N.log): the folder (default: logs/ beside the database) and level, size, how many kept. */
    logDir: z.string().min(1).optional(),
    log: LogConfig.prefault({}),
  })
  .strict();
export type HqConfig = z.infer<typeof HqConfig>;
export type HqConfigInput = z.input<typeof HqConfig>;

export class HqConfigError extends Error {}

/** Validates a config object; relative paths resolve against `baseDir`. */
export function parseHqConfig(input: unknown, baseDir = process.cwd()): HqConfig {
  const r = HqConfig.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const field = first.path.length ? first.path.join('.') : '(root)';
    throw new HqConfigError(`invalid HQ configuration: ${field}: ${first.message}`);
  }
  const dbPath = resolve(baseDir, r.data.dbPath);
  return {
    ...r.data,
    dbPath,
    conferenceFile: resolve(baseDir, r.data.conferenceFile),
    logDir: r.data.logDir ? resolve(baseDir, r.data.logDir) : join(dirname(dbPath), 'logs'),
  };
}

export function loadHqConfig(file: string): HqConfig {
  let text: string;
  try {
    text = stripBom(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new HqConfigError(
      `cannot read the HQ configuration ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new HqConfigError(
      `the HQ configuration ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return parseHqConfig(json, dirname(resolve(file)));
}

export function redact(cs: string): string {
  return cs.replace(/(SharedAccessKey|SharedAccessSignature)=[^;]*/gi, '$1=***');
}
