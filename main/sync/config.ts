/**
 * Sync configuration for a station, validated at the boundary. The connection string's secret never appears in
 * an error message, a log line or the status shown to staff.
 */
import { z } from 'zod';

export interface ParsedConnectionString {
  endpoint: string;
  host: string;
  port: number | null;
  keyName: string | null;
  hasKey: boolean;
  hasSignature: boolean;
  developmentEmulator: boolean;
}

const knownKeys = new Set([
  'endpoint',
  'sharedaccesskeyname',
  'sharedaccesskey',
  'sharedaccesssignature',
  'entitypath',
  'usedevelopmentemulator',
]);

/** Parses `Endpoint=sb://host[:port]/;SharedAccessKeyName=...;SharedAccessKey=...[;UseDevelopmentEmulator=true]`. */
export function parseConnectionString(
  cs: string,
): { ok: true; value: ParsedConnectionString } | { ok: false; error: string } {
  if (typeof cs !== 'string' || cs.trim() === '') return { ok: false, error: 'the connection string is empty' };
  if (cs.length > 4096) return { ok: false, error: 'the connection string is too long' };
  const parts = new Map<string, string>();
  for (const raw of cs.split(';')) {
    const item = raw.trim();
    if (!item) continue;
    const i = item.indexOf('=');
    if (i <= 0)
      return { ok: false, error: `the connection string has a part without "name=value" (part ${parts.size + 1})` };
    const name = item.slice(0, i).trim().toLowerCase();
    if (!knownKeys.has(name))
      return {
        ok: false,
        error: `the connection string has an unknown part "${item.slice(0, i).trim().slice(0, 40)}"`,
      };
    if (parts.has(name)) return { ok: false, error: `the connection string repeats "${item.slice(0, i).trim()}"` };
    parts.set(name, item.slice(i + 1).trim());
  }
  const endpoint = parts.get('endpoint');
  if (!endpoint) return { ok: false, error: 'the connection string has no Endpoint' };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, error: 'the Endpoint is not a valid URL (expected sb://<namespace>.servicebus.windows.net/)' };
  }
  if (url.protocol !== 'sb:') return { ok: false, error: `the Endpoint must start with sb:// (got ${url.protocol}//)` };
  if (!url.hostname) return { ok: false, error: 'the Endpoint has no host name' };
  const keyName = parts.get('sharedaccesskeyname') ?? null;
  const hasKey = Boolean(parts.get('sharedaccesskey'));
  const hasSignature = Boolean(parts.get('sharedaccesssignature'));
  if (!hasSignature && !(keyName && hasKey))
    return {
      ok: false,
      error: 'the connection string needs SharedAccessKeyName and SharedAccessKey (or a SharedAccessSignature)',
    };
  const emulator = parts.get('usedevelopmentemulator');
  if (emulator !== undefined && !/^(true|false)$/i.test(emulator))
    return { ok: false, error: 'UseDevelopmentEmulator must be true or false' };
  return {
    ok: true,
    value: {
      endpoint: `sb://${url.host}/`,
      host: url.hostname,
      port: url.port ? Number(url.port) : null,
      keyName,
      hasKey,
      hasSignature,
      developmentEmulator: /^true$/i.test(emulator ?? ''),
    },
  };
}

/** For logs and the status screen: the endpoint and key name, never the key. */
export function redactConnectionString(cs: string): string {
  return cs.replace(/(SharedAccessKey|SharedAccessSignature)=[^;]*/gi, '$1=***');
}

const EntityName = z
  .string()
  .min(1)
  .max(260)
  .regex(/^[A-Za-z0-9][\w.\-/]*$/, 'may contain letters, digits, . _ - and /');

/**
 * Feed messages applied per transaction by default (see `feedBatchSize`): also the SDK's messages in hand at once, so
 * the bound on how many share one commit's fsync. 200 (was 50) made ~95 a commit instead of ~27 and cut the
 * station's CPU per applied message by about a fifth (sync.apply); a batch of 200 holds the database for a few tens
 * of ms.
 */
export const defaultFeedBatchSize = 200;

export const SyncConfig = z
  .object({
    connectionString: z.string().superRefine((cs, ctx) => {
      const p = parseConnectionString(cs);
      if (!p.ok) ctx.addIssue({ code: 'custom', message: p.error });
    }),
    eventsTopic: EntityName.default('station-events'),
    feedTopic: EntityName.default('station-feed'),
    /** Defaults to `station-<stationId>`. */
    feedSubscription: EntityName.optional(),
    /** Largest number of outbox rows read per batch (a batch also stops at the broker's message size limit; 1,000
     * small events usually fill a 256 KB batch, so batches go out full). */
    batchSize: z.number().int().min(1).max(5000).default(1000),
    /** Feed messages the receiver takes at once and applies in one transaction (group commit). */
    feedBatchSize: z.number().int().min(1).max(1000).default(defaultFeedBatchSize),
    /** HQ sends a heartbeat; without any feed message for this long the link counts as degraded. */
    feedFreshMs: z.number().int().min(1000).max(3_600_000).default(90_000),
    retry: z
      .object({
        initialMs: z.number().int().min(10).max(60_000).default(250),
        maxMs: z.number().int().min(10).max(600_000).default(15_000),
        /** While the bus is unreachable, how often to check whether the broker answers again (main/sync/link-check.ts). */
        linkCheckMs: z.number().int().min(50).max(60_000).default(250),
      })
      .strict()
      .default({ initialMs: 250, maxMs: 15_000, linkCheckMs: 250 }),
    /**
     * Seats to keep in hand per session this desk sells (allotments, DESIGN §5 tier 2): 'adaptive' (about what this
     * desk would sell during one of its outages, from its own sales and the outages it has seen; the session's
     * policy tunes it), a fixed number, or 0 = off (a kiosk or a door scanner, which sell nothing).
     */
    keepSeatsInHand: z.union([z.literal('adaptive'), z.number().int().min(0).max(100)]).default('adaptive'),
    allotmentKeeper: z
      .object({
        /** Sessions this desk sells; default: every sellable session. */
        sessions: z.array(z.string().min(1).max(128)).max(10_000).optional(),
        /** Unused seats go back to HQ this long before the session starts (HQ recalls the rest 10 min before). */
        returnBeforeStartMin: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(20),
        checkEveryMs: z.number().int().min(50).max(600_000).default(5000),
        /** A request HQ has not answered within this long may be repeated. */
        requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(30_000),
      })
      .strict()
      .default({ returnBeforeStartMin: 20, checkEveryMs: 5000, requestTimeoutMs: 30_000 }),
  })
  .strict();
export type SyncConfig = z.infer<typeof SyncConfig>;
export type SyncConfigInput = z.input<typeof SyncConfig>;

/** Validates sync configuration; the message names the bad field and never echoes the connection string. */
export function parseSyncConfig(input: unknown): { ok: true; value: SyncConfig } | { ok: false; error: string } {
  const r = SyncConfig.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const first = r.error.issues[0]!;
  return { ok: false, error: `invalid sync configuration: ${first.path.join('.') || '(root)'}: ${first.message}` };
}
