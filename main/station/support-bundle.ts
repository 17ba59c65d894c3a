/**
 * The support bundle (issue 16): one zip that lets someone on the phone see what the station sees, with no personal
 * data beyond ids — the log files (which never hold any: core/logging.ts; scrubbed again on the way in), the
 * station's status and sync status, versions, the configuration without secrets, the queues' counts by type, the
 * backups, and the audit chain's and SQLite's checks.
 *
 * Zipped with fflate (small, dependency-free, maintained; Node's zlib deflates but writes no zip container, and
 * support staff open a .zip, not a .tar.gz, on any laptop).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Channel, RequestOf, ResultOf, SupportBundle } from '../../core/api';
import { scrubLogLine } from '../../core/logging';
import type { Result } from '../../core/result';
import { verifyAudit } from '../store/audit';
import { databaseVersions, queueCounts } from '../store/diagnostics';
import { nowIso, type StationContext } from './context';
import type { Handlers } from './serve';

export interface SupportOptions {
  /** Where the station's log files are. */
  logsDir: string;
  /** Where bundles are written. */
  outDir: string;
  /** The configuration as it may be shown (the runtime's, secrets removed); absent: the station's settings only. */
  config?: Record<string, unknown>;
  softwareVersion: string;
}

type Call = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<Result<ResultOf<C>>>;

export function supportHandlers(ctx: StationContext, call: Call, o: SupportOptions): Pick<Handlers, 'support.bundle'> {
  return {
    'support.bundle': async ({ download }) => {
      const at = nowIso(ctx);
      const json = (v: unknown) => strToU8(JSON.stringify(v, null, 2) + '\n');
      const value = async <C extends Channel>(channel: C) => {
        const r = await call(channel, {} as RequestOf<C>);
        return r.ok ? r.value : { error: r.error };
      };
      const status = await value('station.status');
      const files: Zippable = {
        'README.txt': strToU8(
          `Lanyard support bundle of station ${ctx.stationId}, taken ${at}.\nNo personal data beyond ids. Logs are JSON lines (pino).\n`,
        ),
        'versions.json': json({
          lanyard: o.softwareVersion,
          node: process.versions.node,
          electron: process.versions.electron ?? null,
          platform: process.platform,
          arch: process.arch,
          ...(await databaseVersions(ctx.db)),
        }),
        'config.json': json({
          settings: ctx.settings,
          policyOverrides: ctx.policyOverrides,
          runtime: o.config ?? null,
        }),
        'status.json': json(status),
        'sync.json': json(await value('sync.status')),
        'queues.json': json(await queueCounts(ctx.db)),
        'backups.json': json(await value('backup.status')),
        'audit.json': json({
          chain: await verifyAudit(ctx.db),
          integrity: 'integrity' in (status as object) ? (status as { integrity: unknown }).integrity : null,
        }),
      };
      if (existsSync(o.logsDir)) {
        for (const f of readdirSync(o.logsDir)
          .filter((n) => n.endsWith('.log'))
          .sort()) {
          files[`logs/${f}`] = strToU8(
            readFileSync(join(o.logsDir, f), 'utf8').split('\n').map(scrubLogLine).join('\n'),
          );
        }
      }
      mkdirSync(o.outDir, { recursive: true });
      const file = join(o.outDir, `lanyard-support-${ctx.stationId}-${at.replace(/[-:.]/g, '')}.zip`);
      const zip = zipSync(files, { level: 6 });
      writeFileSync(file, zip);
      return {
        file,
        bytes: statSync(file).size,
        entries: Object.keys(files),
        // The console downloads it: the screen may be a browser on another machine's disk than the station's.
        ...(download ? { zipBase64: Buffer.from(zip).toString('base64') } : {}),
      } satisfies SupportBundle;
    },
  };
}
