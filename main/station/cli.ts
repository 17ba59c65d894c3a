/**
 * The station command line: the same API contract as the UI, for scripting and operations.
 *   npm run -s station -- --db FILE [--station ID] [--staff ID [--pin PIN]] <command> [options]
 * The operator acts as `--staff ID` (who must exist here); commands that need a supervisor need their `--pin` too.
 * Prints the result as JSON on stdout; on error prints a readable message on stderr, the error as JSON on stdout,
 * and exits with 1 (2 for a usage error).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Caller } from '../../core/access';
import { describeFailedCondition } from '../../core/policy';
import type { AppError, Result } from '../../core/result';
import { createStation, type Station } from './create-station';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  options?: Options;
  /** Positional arguments the command takes (names, for the usage text). */
  positionals?: string[];
  run(station: CliStation, values: Values, positionals: string[]): Promise<Result<unknown>>;
}

/** The station as the operator's caller sees it. */
type CliStation = Pick<Station, 'call'>;

class UsageError extends Error {}

const str = (v: Values, name: string): string => {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new UsageError(`--${name} is required`);
  return x;
};
const opt = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
const int = (v: Values, name: string): number | undefined => {
  const x = opt(v, name);
  if (x === undefined) return undefined;
  if (!/^\d+$/.test(x)) throw new UsageError(`--${name} must be a whole number`);
  return Number(x);
};
const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
};
const readJson = (file: string): unknown => {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
};
const override = (v: Values) => (opt(v, 'supervisor') ? { supervisorId: str(v, 'supervisor'), pin: str(v, 'pin') } : undefined);

export const commands: Record<string, Command> = {
  status: { usage: 'status', run: (s) => s.call('station.status', {}) },
  import: {
    usage: 'import FILE.json [--shift-to YYYY-MM-DD|today]   (--shift-to moves a demo conference so that day 1 is that date)',
    positionals: ['FILE'],
    options: { 'shift-to': { type: 'string' } },
    run: (s, v, [file]) => {
      const shiftTo = opt(v, 'shift-to');
      if (shiftTo !== undefined && shiftTo !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(shiftTo)) throw new UsageError(`--shift-to takes a date (YYYY-MM-DD) or "today", got "${shiftTo}"`);
      return s.call('conference.import', { data: readJson(file!) as never, ...(shiftTo ? { shiftTo: shiftTo as 'today' } : {}) });
    },
  },
  'import-csv': {
    usage: 'import-csv FILE.csv --map field=Column[,field=Column...] [--ticket-type ID] [--separator ";"]',
    positionals: ['FILE'],
    options: { map: { type: 'string' }, 'ticket-type': { type: 'string' }, separator: { type: 'string' } },
    run: (s, v, [file]) => {
      const mapping: Record<string, string> = {};
      for (const pair of str(v, 'map').split(',')) {
        const i = pair.indexOf('=');
        if (i <= 0) throw new UsageError(`--map entries look like field=Column, got "${pair}"`);
        mapping[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
      }
      return s.call('registrants.importCsv', {
        csv: readText(file!),
        mapping,
        defaults: opt(v, 'ticket-type') ? { ticketTypeId: opt(v, 'ticket-type') } : {},
        ...(opt(v, 'separator') ? { sessionsSeparator: opt(v, 'separator') } : {}),
      });
    },
  },
  search: {
    usage: 'search TEXT [--limit N]',
    positionals: ['TEXT'],
    options: { limit: { type: 'string' } },
    run: (s, v, [text]) => s.call('registrant.search', { query: text!, ...(int(v, 'limit') ? { limit: int(v, 'limit') } : {}) }),
  },
  registrant: { usage: 'registrant ID', positionals: ['ID'], run: (s, _v, [id]) => s.call('registrant.get', { id: id! }) },
  sessions: { usage: 'sessions', run: (s) => s.call('sessions.list', {}) },
  preview: {
    usage: 'preview --session ID [--registrant ID]',
    options: { session: { type: 'string' }, registrant: { type: 'string' } },
    run: (s, v) => s.call('sale.preview', { sessionId: str(v, 'session'), ...(opt(v, 'registrant') ? { registrantId: opt(v, 'registrant') } : {}) }),
  },
  sell: {
    usage: 'sell --session ID --registrant ID [--supervisor ID --pin PIN]   (--supervisor: an override by that supervisor\'s PIN)',
    options: { session: { type: 'string' }, registrant: { type: 'string' }, supervisor: { type: 'string' }, pin: { type: 'string' } },
    run: (s, v) => s.call('sale.sell', { sessionId: str(v, 'session'), registrantId: str(v, 'registrant'), override: override(v) }),
  },
  release: {
    usage: 'release --sale ID --reason TEXT',
    options: { sale: { type: 'string' }, reason: { type: 'string' } },
    run: (s, v) => s.call('sale.release', { saleId: str(v, 'sale'), reason: str(v, 'reason') }),
  },
  checkin: {
    usage: 'checkin --registrant ID [--session ID]',
    options: { registrant: { type: 'string' }, session: { type: 'string' } },
    run: (s, v) => s.call('checkin.record', { registrantId: str(v, 'registrant'), sessionId: opt(v, 'session') ?? null }),
  },
  walkup: {
    usage: 'walkup --first NAME --last NAME --ticket-type ID [--email E] [--company C]',
    options: { first: { type: 'string' }, last: { type: 'string' }, email: { type: 'string' }, company: { type: 'string' }, 'ticket-type': { type: 'string' } },
    run: (s, v) =>
      s.call('registrant.registerWalkUp', { firstName: opt(v, 'first') ?? '', lastName: opt(v, 'last') ?? '', email: opt(v, 'email') ?? '', company: opt(v, 'company') ?? '', ticketTypeId: str(v, 'ticket-type') }),
  },
  'staff-add': {
    usage: 'staff-add --id ID --name NAME --role desk|supervisor --pin PIN [--supervisor ID --supervisor-pin PIN]',
    options: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, pin: { type: 'string' }, supervisor: { type: 'string' }, 'supervisor-pin': { type: 'string' } },
    run: (s, v) =>
      s.call('staff.add', {
        id: str(v, 'id'), name: str(v, 'name'), role: str(v, 'role') as 'desk', pin: str(v, 'pin'),
        ...(opt(v, 'supervisor') ? { by: { supervisorId: str(v, 'supervisor'), pin: str(v, 'supervisor-pin') } } : {}),
      }),
  },
  print: {
    usage: 'print --registrant ID --printer URI [--reason TEXT]   (e.g. --printer tcp://127.0.0.1:9100; prints the job\'s final state)',
    options: { registrant: { type: 'string' }, printer: { type: 'string' }, reason: { type: 'string' } },
    run: (s, v) => s.call('badge.print', { registrantId: str(v, 'registrant'), printer: str(v, 'printer'), ...(opt(v, 'reason') ? { reason: opt(v, 'reason') } : {}) }),
  },
  cases: { usage: 'cases [--all]', options: { all: { type: 'boolean' } }, run: (s, v) => s.call('cases.list', { status: v.all ? 'all' : 'open' }) },
  'audit-verify': { usage: 'audit-verify', run: (s) => s.call('audit.verify', {}) },
  apply: {
    usage: 'apply FILE.json   (one HQ feed message, or an array of them)',
    positionals: ['FILE'],
    run: async (s, _v, [file]) => {
      const data = readJson(file!);
      const results: unknown[] = [];
      for (const envelope of Array.isArray(data) ? data : [data]) {
        const r = await s.call('feed.apply', { envelope });
        if (!r.ok) return r;
        results.push(r.value);
      }
      return { ok: true, value: results };
    },
  },
  // ---- reconciliation (DESIGN §8) ----
  resolve: {
    usage: 'resolve --case ID --action honor|reverse|move|waitlist|refuse --supervisor ID --pin PIN [--to SESSION] [--note TEXT]',
    options: { case: { type: 'string' }, action: { type: 'string' }, supervisor: { type: 'string' }, pin: { type: 'string' }, to: { type: 'string' }, note: { type: 'string' } },
    run: (s, v) =>
      s.call('cases.resolve', {
        caseId: str(v, 'case'), action: str(v, 'action') as 'honor', supervisor: { supervisorId: str(v, 'supervisor'), pin: str(v, 'pin') },
        ...(opt(v, 'to') ? { moveToSessionId: opt(v, 'to') } : {}), ...(opt(v, 'note') !== undefined ? { note: opt(v, 'note') } : {}),
      }),
  },
  waitlist: { usage: 'waitlist --session ID', options: { session: { type: 'string' } }, run: (s, v) => s.call('waitlist.list', { sessionId: str(v, 'session') }) },
  export: {
    usage: 'export contacts|cases --out FILE   (CSV, UTF-8 with a byte order mark)',
    positionals: ['REPORT'],
    options: { out: { type: 'string' } },
    run: async (s, v, [report]) => {
      if (report !== 'contacts' && report !== 'cases') throw new UsageError(`export takes "contacts" or "cases", not "${report}"`);
      const file = str(v, 'out');
      const r = await s.call('reports.export', { report });
      if (!r.ok) return r;
      try {
        writeFileSync(file, r.value.csv, 'utf8');
      } catch (e) {
        throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      return { ok: true, value: { report, file, rows: r.value.rows } };
    },
  },
};

export function usage(): string {
  return [
    'usage: npm run -s station -- --db FILE [--station ID] [--staff ID [--pin PIN]] <command> [options]',
    '',
    'Act as --staff ID (a member of staff on this station) for commands that change things; commands that need a',
    'supervisor (import, import-csv, audit-verify) need that supervisor\'s --pin too. staff-add needs neither.',
    '',
    'commands:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
  ].join('\n');
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ci = argv.findIndex((a) => !a.startsWith('-') && Object.hasOwn(commands, a));
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage());
    return 0;
  }
  if (ci < 0) {
    const unknown = argv.find((a, i) => !a.startsWith('-') && !['--db', '--station', '--staff', '--pin'].includes(argv[i - 1] ?? ''));
    io.err(unknown ? `error: unknown command "${unknown}"\n\n${usage()}` : `error: no command given\n\n${usage()}`);
    return 2;
  }
  const name = argv[ci]!;
  const command = commands[name]!;
  let station: Station | undefined;
  try {
    const global = parseArgs({
      args: argv.slice(0, ci),
      options: { db: { type: 'string' }, station: { type: 'string' }, staff: { type: 'string' }, pin: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (global.values.pin !== undefined && global.values.staff === undefined) throw new UsageError('--pin goes with --staff ID');
    const local = parseArgs({ args: argv.slice(ci + 1), options: command.options ?? {}, strict: true, allowPositionals: true });
    const wanted = command.positionals ?? [];
    if (local.positionals.length !== wanted.length) {
      throw new UsageError(`${name} takes ${wanted.length ? wanted.join(' ') : 'no positional arguments'}; usage: ${command.usage}`);
    }
    const db = global.values.db;
    if (!db) throw new UsageError('--db FILE is required (the station database; created if missing)');
    // A new database gets the given station id, or "desk-1"; an existing one keeps its own.
    const stationId = global.values.station ?? (existsSync(db) ? undefined : 'desk-1');
    station = await createStation({ dbPath: db, ...(stationId ? { stationId } : {}) });
    const progress = station.events$.subscribe((e) => {
      if (e.type === 'progress' && (e.done === e.total || e.done % 10_000 < 400)) io.err(`${e.operation}: ${e.phase} ${e.done}/${e.total}`);
    });
    const caller = await operator(station, global.values.staff, global.values.pin);
    if (!caller.ok) {
      io.out(JSON.stringify({ error: caller.error }, null, 2));
      io.err(`error (${caller.error.code}): ${caller.error.message}`);
      return 1;
    }
    const acting = station;
    const as: CliStation = { call: (channel, request) => acting.callAs(caller.value, channel, request) };
    const result = await command.run(as, local.values as Values, local.positionals);
    progress.unsubscribe();
    io.out(JSON.stringify(result.ok ? result.value : { error: result.error }, null, 2));
    if (!result.ok) {
      io.err(`error (${result.error.code}): ${describeError(result.error)}`);
      return 1;
    }
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const isUsage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.out(JSON.stringify({ error: { code: isUsage ? 'invalid_input' : 'internal', message } }, null, 2));
    io.err(`error: ${message}${isUsage ? `\nusage: ${command.usage}` : ''}`);
    return isUsage ? 2 : 1;
  } finally {
    await station?.close();
  }
}

/**
 * The operator's caller: `--staff ID` must be someone on this station; with `--pin` (checked, and counted towards the
 * lockout like any PIN) they act in their own role, without it as desk staff at most.
 */
async function operator(station: Station, staffId: string | undefined, pin: string | undefined): Promise<Result<Caller>> {
  const caller: Caller = { transport: 'cli', mode: station.mode, session: null };
  if (staffId === undefined) return { ok: true, value: caller };
  if (pin !== undefined) {
    const v = await station.call('staff.verify', { staffId, pin });
    if (!v.ok) return v;
    return { ok: true, value: { ...caller, session: { staffId: v.value.id, role: v.value.role } } };
  }
  const list = await station.call('staff.list', {});
  if (!list.ok) return list;
  if (!list.value.some((s) => s.id === staffId)) return { ok: false, error: { code: 'unauthorized', message: `No staff member "${staffId}" on this station (add one with staff-add).` } };
  return { ok: true, value: { ...caller, session: { staffId, role: 'desk' } } };
}

/** The error in English for a person at a terminal: a refusal lists every failed condition in words. */
export function describeError(e: AppError): string {
  if (e.code === 'refused' && e.details && 'failed' in e.details) return `Sale refused: ${e.details.failed.map(describeFailedCondition).join('; ')}.`;
  return e.message;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main/station/cli.ts');
if (isMain) {
  const code = await runCli(process.argv.slice(2), { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') });
  process.exitCode = code;
}
