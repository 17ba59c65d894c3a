/**
 * A station's configuration file (DESIGN §12), validated at the boundary: every invalid field is named, and the
 * Service Bus secret never appears in an error, a log line or the configuration shown back.
 *
 *   {
 *     "stationId": "desk-a",
 *     "mode": "desk",                          // kiosk | desk | door | supervisor
 *     "dataDir": "./desk-a",                   // relative to the file; default: the user's data folder
 *     "sync": { "connectionString": "Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…" },
 *     "printers": ["tcp://10.0.0.5:9100"],     // default: PNG badges in <dataDir>/prints
 *     "policy": { "maxStalenessMin": 30 },     // this station's adjustments to the conference's sale policy
 *     "conferenceFile": "./conference.json",   // imported on first run (else HQ's snapshot brings it)
 *     "demo": false,                           // load the demo conference, moved to today, on first run
 *     "log": { "level": "info" },              // <dataDir>/logs/station.N.log; also maxFileMb, keepFiles
 *     "backup": { "everyMin": 30, "keep": 12 } // <dataDir>/backups; everyMin 0: on demand only
 *   }
 */
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { StationMode } from '../../core/access';
import { PrinterUri } from '../../core/badge/printer';
import { SalePolicyParams } from '../../core/conference';
import { StationId } from '../../core/ids';
import { LogConfig } from '../../core/logging';
import { redactConnectionString, SyncConfig } from '../sync/config';

/** The encrypted form the desktop app keeps (Electron safeStorage); the shell decrypts it before the runtime starts. */
const EncryptedSecret = z
  .object({
    encrypted: z
      .string()
      .min(1)
      .max(20_000)
      .regex(/^[A-Za-z0-9+/=]+$/, 'must be base64'),
  })
  .strict();

export const RuntimeConfigFile = z
  .object({
    stationId: StationId,
    mode: StationMode.default('desk'),
    dataDir: z.string().min(1).max(1000).optional(),
    /** Without it the station works alone (no HQ). `connectionString` may be `{ "encrypted": "…" }` (desktop app). */
    sync: z.looseObject({ connectionString: z.union([z.string(), EncryptedSecret]) }).optional(),
    printers: z.array(PrinterUri).max(20).optional(),
    policy: SalePolicyParams.partial().default({}),
    conferenceFile: z.string().min(1).max(1000).optional(),
    demo: z.boolean().default(false),
    kioskIdleSec: z.number().int().min(10).max(3600).default(60),
    staffIdleMin: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    log: LogConfig.prefault({}),
    backup: z
      .object({
        everyMin: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(30),
        keep: z.number().int().min(1).max(500).default(12),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type RuntimeConfigFile = z.input<typeof RuntimeConfigFile>;

/** A configuration ready to run: paths absolute, printers decided, sync validated (secret still inside, never shown). */
export interface RuntimeConfig {
  stationId: string;
  mode: StationMode;
  dataDir: string;
  sync: z.output<typeof SyncConfig> | null;
  printers: string[];
  policy: Partial<SalePolicyParams>;
  conferenceFile: string | null;
  demo: boolean;
  kioskIdleSec: number;
  staffIdleMin: number;
  log: LogConfig;
  /** Online backups into `<dataDir>/backups` every `everyMin` minutes (0: only on demand), the newest `keep` kept. */
  backup: { everyMin: number; keep: number };
  /** The console saved a new station id (settings-store.ts): a database that never sent an event takes it. */
  adoptStationId?: boolean;
}

export type ConfigResult = { ok: true; config: RuntimeConfig } | { ok: false; errors: string[] };

export interface ConfigContext {
  /** Folder that relative paths in the file are relative to. */
  baseDir: string;
  /** Where the data folder goes when the file names none. */
  defaultDataDir: string;
  /** Decrypts `{ "encrypted": … }` (the desktop app's safeStorage); absent where that is not possible. */
  decrypt?: (base64: string) => string;
}

/** Validates a parsed configuration file; every problem is listed, each naming its field. */
export function parseRuntimeConfig(input: unknown, cx: ConfigContext): ConfigResult {
  const parsed = RuntimeConfigFile.safeParse(input);
  if (!parsed.success)
    return { ok: false, errors: parsed.error.issues.map((i) => `${fieldName(i.path)}: ${i.message}`) };
  const f = parsed.data;
  const errors: string[] = [];
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cx.baseDir, p));
  const dataDir = abs(f.dataDir ?? cx.defaultDataDir);

  let sync: z.output<typeof SyncConfig> | null = null;
  if (f.sync) {
    let connectionString: string | null = null;
    const cs = f.sync.connectionString;
    if (typeof cs === 'string') connectionString = cs;
    else if (!cx.decrypt)
      errors.push(
        'sync.connectionString: this station cannot decrypt an encrypted secret (only the desktop app that encrypted it can)',
      );
    else {
      try {
        connectionString = cx.decrypt(cs.encrypted);
      } catch {
        errors.push('sync.connectionString: the encrypted secret could not be decrypted on this machine');
      }
    }
    if (connectionString !== null) {
      const s = SyncConfig.safeParse({ ...f.sync, connectionString });
      if (s.success) sync = s.data;
      // SyncConfig's messages never echo the connection string (main/sync/config.ts).
      else errors.push(...s.error.issues.map((i) => `${fieldName(['sync', ...i.path])}: ${i.message}`));
    }
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    config: {
      stationId: f.stationId,
      mode: f.mode,
      dataDir,
      sync,
      printers: f.printers?.map((p) => p.trim()) ?? [`folder:${join(dataDir, 'prints')}`],
      policy: f.policy,
      conferenceFile: f.conferenceFile ? abs(f.conferenceFile) : null,
      demo: f.demo,
      kioskIdleSec: f.kioskIdleSec,
      staffIdleMin: f.staffIdleMin,
      log: f.log,
      backup: f.backup,
    },
  };
}

/** The embedded default as a configuration file would say it: a desk on the demo conference, PNG badges in a folder. */
export function embeddedConfigFile(
  overrides: Partial<Pick<RuntimeConfig, 'mode' | 'stationId'>> = {},
): RuntimeConfigFile {
  return { stationId: overrides.stationId ?? 'desk-1', mode: overrides.mode ?? 'desk', demo: true };
}

/** The embedded default: no file, a desk on the demo conference, PNG badges in a folder. */
export function embeddedConfig(
  dataDir: string,
  overrides: Partial<Pick<RuntimeConfig, 'mode' | 'stationId'>> = {},
): RuntimeConfig {
  const r = parseRuntimeConfig(embeddedConfigFile(overrides), { baseDir: dataDir, defaultDataDir: dataDir });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

/** The configuration as it may be shown or logged: the secret replaced. */
export function describeConfig(c: RuntimeConfig): Record<string, unknown> {
  return {
    ...c,
    sync: c.sync ? { ...c.sync, connectionString: redactConnectionString(c.sync.connectionString) } : null,
  };
}

function fieldName(path: PropertyKey[]): string {
  return path.length
    ? path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[')
    : '(the file)';
}
