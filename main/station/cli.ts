/**
 * The station command line: the same API contract as the UI, for scripting and operations.
 *   npm run -s station -- --db FILE [--station ID] [--staff ID [--pin PIN]] <command> [options]
 * The operator acts as `--staff ID` (who must exist here); commands that need a supervisor need their `--pin` too.
 * Prints the result as JSON on stdout (the error as JSON when it failed) and exits with one of EXIT's codes; a
 * failure, or a result that needs a look, is said in one line on stderr.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type {
  AuditVerification,
  ConnectionCheck,
  ImportReport,
  PrintBatchView,
  SaleOutcome,
  StationStatus,
} from '../../core/api';
import type { PrintJobView } from '../../core/badge/views';
import { stripBom } from '../../core/file-text';
import { StationId } from '../../core/ids';
import type { PaymentInput } from '../../core/money';
import type { Caller } from '../../core/access';
import { describeFailedCondition } from '../../core/policy';
import type { AppError, Result } from '../../core/result';
import { damagedMessage } from './context';
import { restoreStation } from './backups';
import { createStation, type Station } from './create-station';
import { fileSettingsStore, settingsFileIn } from '../runtime/settings-store';

/** Exit codes (also in --help and the root README). */
export const EXIT = {
  /** The command did what was asked. */
  done: 0,
  /** It failed (or found a problem: an altered audit log, a damaged database); nothing was done unless it says so. */
  failed: 1,
  /** The command line is wrong; nothing was done. */
  usage: 2,
  /** Done, but the outcome needs a look: a print job that may or may not have printed, rows an import rejected. */
  uncertain: 3,
} as const;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  options?: Options;
  /** Positional arguments the command takes (names, for the usage text). */
  positionals?: string[];
  run(station: CliStation, values: Values, positionals: string[]): Promise<Result<unknown>>;
  /** Runs with the station closed (it replaces the database file) instead of `run`. */
  offline?(dbPath: string, values: Values): Promise<Result<unknown>>;
  /** A successful call whose outcome is still a failure, or needs a look: the exit code and the stderr line. */
  judge?(value: never): { exit: 1 | 3; line: string } | null;
}

/** The station as the operator's caller sees it (`--staff`, `--pin`), and what the station says of its file. */
type CliStation = Pick<Station, 'call' | 'integrity'>;

class UsageError extends Error {}

const str = (v: Values, name: string): string => {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new UsageError(`--${name} is required`);
  return x;
};
const opt = (v: Values, name: string): string | undefined =>
  typeof v[name] === 'string' ? (v[name] as string) : undefined;
const int = (v: Values, name: string, min: number, max: number): number | undefined => {
  const x = opt(v, name);
  if (x === undefined) return undefined;
  if (!/^\d+$/.test(x) || Number(x) < min || Number(x) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${x}"`);
  return Number(x);
};
const readText = (file: string): string => {
  try {
    return stripBom(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(e))}`,
    );
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
/** A supervisor's approval at this terminal (`--supervisor ID --pin PIN`). */
const supervisorOptions: Options = { supervisor: { type: 'string' }, pin: { type: 'string' } };
const supervisorAuth = (v: Values) => ({ supervisorId: str(v, 'supervisor'), pin: str(v, 'pin') });
const override = (v: Values) => (opt(v, 'supervisor') ? supervisorAuth(v) : undefined);
const usageError = (message: string): never => {
  throw new UsageError(message);
};

/** How the person paid, for commands that take money (`--pay cash`, `--pay card --reference T-123`, ...). */
const paymentUsage = '[--pay cash|card|invoice|complimentary [--reference REF] [--comp-reason TEXT]]';
const paymentOptions: Options = {
  pay: { type: 'string' },
  reference: { type: 'string' },
  'comp-reason': { type: 'string' },
};
function payment(v: Values): PaymentInput | undefined {
  const method = opt(v, 'pay');
  if (method === undefined) return undefined;
  if (method === 'cash') return { method };
  if (method === 'card' || method === 'invoice') return { method, reference: str(v, 'reference') };
  if (method === 'complimentary') return { method, reason: str(v, 'comp-reason') };
  throw new UsageError(`--pay takes cash, card, invoice or complimentary, not "${method}"`);
}

const writeOut = (file: string, data: string | Buffer): void => {
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new Error(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
};

/** A batch that paused (paper out...) needs a look, then batch-resume. */
const judgeBatch = (b: PrintBatchView): { exit: 1 | 3; line: string } | null =>
  b.state === 'paused'
    ? {
        exit: EXIT.uncertain,
        line: `warning: batch ${b.id} paused after ${b.printed} of ${b.total} badges${b.words ? ` (${b.words})` : ''}. Fix the printer, then batch-resume --batch ${b.id}.`,
      }
    : null;

/** A print job's final state: printed is done; failed and uncertain say what staff do next. */
function judgePrint(j: PrintJobView): { exit: 1 | 3; line: string } | null {
  const words = j.words ? ` (${j.words})` : '';
  if (j.status === 'printed') return null;
  if (j.status === 'failed')
    return {
      exit: EXIT.failed,
      line: `error (print failed): print job ${j.id} failed${words}. Fix the printer, then print again.`,
    };
  if (j.status === 'uncertain')
    return {
      exit: EXIT.uncertain,
      line: `warning: print job ${j.id} may or may not have printed${words}. Look at the printer, then confirm the job or reprint with a reason.`,
    };
  return {
    exit: EXIT.uncertain,
    line: `warning: print job ${j.id} is still ${j.status}${words}; see print jobs for its outcome.`,
  };
}

export const commands: Record<string, Command> = {
  status: {
    usage: 'status',
    run: (s) => s.call('station.status', {}),
    judge: (v: StationStatus) =>
      v.integrity.state === 'damaged' ? { exit: EXIT.failed, line: `error (damaged): ${v.integrity.message!}` } : null,
  },
  import: {
    usage:
      'import FILE.json [--shift-to YYYY-MM-DD|today]   (--shift-to moves a demo conference so that day 1 is that date)',
    positionals: ['FILE'],
    options: { 'shift-to': { type: 'string' } },
    run: (s, v, [file]) => {
      const shiftTo = opt(v, 'shift-to');
      if (shiftTo !== undefined && shiftTo !== 'today' && !/^\d{4}-\d{2}-\d{2}$/.test(shiftTo))
        throw new UsageError(`--shift-to takes a date (YYYY-MM-DD) or "today", got "${shiftTo}"`);
      return s.call('conference.import', {
        data: readJson(file!) as never,
        ...(shiftTo ? { shiftTo: shiftTo as 'today' } : {}),
      });
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
    judge: (r: ImportReport) => {
      if (r.rejectedCount === 0) return null;
      const first = r.rejected[0]!;
      const imported = r.registrants.inserted + r.registrants.updated;
      return {
        exit: EXIT.uncertain,
        line: `warning: ${r.rejectedCount} row${r.rejectedCount === 1 ? ' was' : 's were'} rejected and not imported (line ${first.line}: ${first.reason}${r.rejectedCount > 1 ? '; see "rejected" in the output' : ''}); ${imported} imported.`,
      };
    },
  },
  search: {
    usage: 'search TEXT [--limit N]',
    positionals: ['TEXT'],
    options: { limit: { type: 'string' } },
    run: (s, v, [text]) => {
      const limit = int(v, 'limit', 1, 200);
      return s.call('registrant.search', { query: text!, ...(limit === undefined ? {} : { limit }) });
    },
  },
  registrant: {
    usage: 'registrant ID',
    positionals: ['ID'],
    run: (s, _v, [id]) => s.call('registrant.get', { id: id! }),
  },
  sessions: { usage: 'sessions', run: (s) => s.call('sessions.list', {}) },
  preview: {
    usage: 'preview --session ID [--registrant ID]',
    options: { session: { type: 'string' }, registrant: { type: 'string' } },
    run: (s, v) =>
      s.call('sale.preview', {
        sessionId: str(v, 'session'),
        ...(opt(v, 'registrant') ? { registrantId: opt(v, 'registrant') } : {}),
      }),
  },
  sell: {
    usage: `sell --session ID --registrant ID ${paymentUsage} [--supervisor ID --pin PIN]   (--supervisor: an override by that supervisor's PIN; a priced seat needs --pay)`,
    options: {
      session: { type: 'string' },
      registrant: { type: 'string' },
      ...supervisorOptions,
      ...paymentOptions,
    },
    run: (s, v) =>
      s.call('sale.sell', {
        sessionId: str(v, 'session'),
        registrantId: str(v, 'registrant'),
        override: override(v),
        payment: payment(v),
      }),
    judge: (r: SaleOutcome) =>
      r.outcome === 'refused'
        ? { exit: EXIT.failed, line: `error (refused): ${r.message}` }
        : r.outcome === 'awaiting'
          ? { exit: EXIT.uncertain, line: `warning: ${r.message}` }
          : null,
  },
  release: {
    usage: 'release --sale ID --reason TEXT',
    options: { sale: { type: 'string' }, reason: { type: 'string' } },
    run: (s, v) => s.call('sale.release', { saleId: str(v, 'sale'), reason: str(v, 'reason') }),
  },
  checkin: {
    usage: 'checkin --registrant ID [--session ID]',
    options: { registrant: { type: 'string' }, session: { type: 'string' } },
    run: (s, v) =>
      s.call('checkin.record', { registrantId: str(v, 'registrant'), sessionId: opt(v, 'session') ?? null }),
  },
  walkup: {
    usage: `walkup --first NAME --last NAME --ticket-type ID [--email E] [--company C] [--sessions ID,ID] ${paymentUsage} [--supervisor ID --pin PIN] [--allow-duplicate]   (--allow-duplicate: staff checked the look-alikes and it is another person)`,
    options: {
      first: { type: 'string' },
      last: { type: 'string' },
      email: { type: 'string' },
      company: { type: 'string' },
      'ticket-type': { type: 'string' },
      sessions: { type: 'string' },
      ...paymentOptions,
      ...supervisorOptions,
      'allow-duplicate': { type: 'boolean' },
    },
    run: (s, v) =>
      s.call('registrant.registerWalkUp', {
        firstName: opt(v, 'first') ?? '',
        lastName: opt(v, 'last') ?? '',
        email: opt(v, 'email') ?? '',
        company: opt(v, 'company') ?? '',
        ticketTypeId: str(v, 'ticket-type'),
        sessions: (opt(v, 'sessions') ?? '')
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        payment: payment(v),
        supervisor: override(v),
        allowDuplicate: v['allow-duplicate'] === true,
      }),
  },
  // ---- the desk's day (issue 19) ----
  correct: {
    usage:
      'correct --registrant ID [--first NAME] [--last NAME] [--email E] [--company C] [--preferred-name N] [--pronouns P] [--country CC] [--reason TEXT]   (an empty value clears an optional field)',
    options: {
      registrant: { type: 'string' },
      first: { type: 'string' },
      last: { type: 'string' },
      email: { type: 'string' },
      company: { type: 'string' },
      'preferred-name': { type: 'string' },
      pronouns: { type: 'string' },
      country: { type: 'string' },
      reason: { type: 'string' },
    },
    run: (s, v) => {
      const fields = {
        first: 'firstName',
        last: 'lastName',
        email: 'email',
        company: 'company',
        'preferred-name': 'preferredName',
        pronouns: 'pronouns',
        country: 'country',
      } as const;
      const changes: Record<string, string> = {};
      for (const [flag, field] of Object.entries(fields))
        if (opt(v, flag) !== undefined || v[flag] === '') changes[field] = (v[flag] as string | undefined) ?? '';
      return s.call('registrant.correct', {
        registrantId: str(v, 'registrant'),
        changes,
        reason: opt(v, 'reason') ?? '',
      });
    },
  },
  settle: {
    usage: `settle --registrant ID (--accept --supervisor ID --pin PIN --note TEXT | ${paymentUsage})   (a pending registration)`,
    options: {
      registrant: { type: 'string' },
      accept: { type: 'boolean' },
      ...supervisorOptions,
      note: { type: 'string' },
      ...paymentOptions,
    },
    run: (s, v) =>
      v.accept
        ? s.call('registration.settle', {
            registrantId: str(v, 'registrant'),
            decision: 'accept',
            supervisor: supervisorAuth(v),
            note: str(v, 'note'),
          })
        : s.call('registration.settle', {
            registrantId: str(v, 'registrant'),
            decision: 'pay',
            payment: payment(v) ?? usageError('--pay cash|card|invoice|complimentary (or --accept) is required'),
          }),
  },
  'change-ticket': {
    usage: `change-ticket --registrant ID --ticket-type ID ${paymentUsage} [--supervisor ID --pin PIN] [--reason TEXT]   (an upgrade pays the difference)`,
    options: {
      registrant: { type: 'string' },
      'ticket-type': { type: 'string' },
      ...paymentOptions,
      ...supervisorOptions,
      reason: { type: 'string' },
    },
    run: (s, v) =>
      s.call('registration.changeTicket', {
        registrantId: str(v, 'registrant'),
        ticketTypeId: str(v, 'ticket-type'),
        payment: payment(v),
        supervisor: override(v),
        reason: opt(v, 'reason') ?? '',
      }),
  },
  transfer: {
    usage: 'transfer --registrant ID --first NAME --last NAME [--email E] [--company C] --reason TEXT',
    options: {
      registrant: { type: 'string' },
      first: { type: 'string' },
      last: { type: 'string' },
      email: { type: 'string' },
      company: { type: 'string' },
      reason: { type: 'string' },
    },
    run: (s, v) =>
      s.call('registration.transfer', {
        registrantId: str(v, 'registrant'),
        to: {
          firstName: opt(v, 'first') ?? '',
          lastName: opt(v, 'last') ?? '',
          email: opt(v, 'email') ?? '',
          company: opt(v, 'company') ?? '',
        },
        reason: str(v, 'reason'),
      }),
  },
  'seat-release': {
    usage: 'seat-release --registrant ID --session ID --reason TEXT   (any seat: sold here, imported, or from HQ)',
    options: { registrant: { type: 'string' }, session: { type: 'string' }, reason: { type: 'string' } },
    run: (s, v) =>
      s.call('seat.release', {
        registrantId: str(v, 'registrant'),
        sessionId: str(v, 'session'),
        reason: str(v, 'reason'),
      }),
  },
  'seat-swap': {
    usage: `seat-swap --registrant ID --from SESSION --to SESSION ${paymentUsage} [--supervisor ID --pin PIN]`,
    options: {
      registrant: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      ...paymentOptions,
      ...supervisorOptions,
    },
    run: (s, v) =>
      s.call('seat.swap', {
        registrantId: str(v, 'registrant'),
        fromSessionId: str(v, 'from'),
        toSessionId: str(v, 'to'),
        payment: payment(v),
        override: override(v),
      }),
  },
  payments: {
    usage:
      "payments [--registrant ID] [--day YYYY-MM-DD]   (this desk's payments: one person's, or a day's; default today)",
    options: { registrant: { type: 'string' }, day: { type: 'string' } },
    run: (s, v) =>
      s.call('payment.list', {
        ...(opt(v, 'registrant') ? { registrantId: opt(v, 'registrant') } : {}),
        ...(opt(v, 'day') ? { day: opt(v, 'day') } : {}),
      }),
  },
  'payment-reverse': {
    usage: 'payment-reverse --payment ID --kind void|refund --reason TEXT --supervisor ID --pin PIN',
    options: {
      payment: { type: 'string' },
      kind: { type: 'string' },
      reason: { type: 'string' },
      ...supervisorOptions,
    },
    run: (s, v) =>
      s.call('payment.reverse', {
        paymentId: str(v, 'payment'),
        kind: str(v, 'kind') as 'void',
        reason: str(v, 'reason'),
        supervisor: supervisorAuth(v),
      }),
  },
  receipt: {
    usage:
      'receipt --registrant ID [--printer URI] [--png FILE]   (prints it with --printer; writes the image with --png; else shows its lines)',
    options: { registrant: { type: 'string' }, printer: { type: 'string' }, png: { type: 'string' } },
    run: async (s, v) => {
      const registrantId = str(v, 'registrant');
      if (opt(v, 'printer')) return s.call('receipt.print', { registrantId, printer: opt(v, 'printer') });
      const r = await s.call('receipt.preview', { registrantId });
      if (!r.ok) return r;
      const file = opt(v, 'png');
      if (file) writeOut(file, Buffer.from(r.value.png, 'base64'));
      return { ok: true, value: { lines: r.value.lines, total: r.value.total, ...(file ? { file } : {}) } };
    },
    judge: (j: PrintJobView | { lines: string[] }) => ('status' in j ? judgePrint(j) : null),
  },
  'day-report': {
    usage:
      'day-report --out FILE [--day YYYY-MM-DD]   (the cash-up CSV: per staff member and method, badges against stock, what HQ has not confirmed)',
    options: { out: { type: 'string' }, day: { type: 'string' } },
    run: async (s, v) => {
      const file = str(v, 'out');
      const r = await s.call('reports.day', opt(v, 'day') ? { day: opt(v, 'day') } : {});
      if (!r.ok) return r;
      writeOut(file, r.value.csv);
      return { ok: true, value: { report: 'day', file, rows: r.value.rows } };
    },
  },
  stock: {
    usage:
      "stock [--loaded N] [--note TEXT]   (blank badges loaded into this desk's printers; without --loaded: today's count)",
    options: { loaded: { type: 'string' }, note: { type: 'string' } },
    run: (s, v) => {
      const cards = int(v, 'loaded', 1, 100_000);
      return cards === undefined
        ? s.call('stock.status', {})
        : s.call('stock.record', { cards, note: opt(v, 'note') ?? '' });
    },
  },
  'staff-add': {
    usage: 'staff-add --id ID --name NAME --role desk|supervisor --pin PIN [--supervisor ID --supervisor-pin PIN]',
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      ...supervisorOptions,
      'supervisor-pin': { type: 'string' },
    },
    run: (s, v) =>
      s.call('staff.add', {
        id: str(v, 'id'),
        name: str(v, 'name'),
        role: str(v, 'role') as 'desk',
        pin: str(v, 'pin'),
        ...(opt(v, 'supervisor') ? { by: { supervisorId: str(v, 'supervisor'), pin: str(v, 'supervisor-pin') } } : {}),
      }),
  },
  print: {
    usage:
      "print --registrant ID --printer URI [--reason TEXT]   (e.g. --printer tcp://127.0.0.1:9100; prints the job's final state)",
    options: { registrant: { type: 'string' }, printer: { type: 'string' }, reason: { type: 'string' } },
    run: (s, v) =>
      s.call('badge.print', {
        registrantId: str(v, 'registrant'),
        printer: str(v, 'printer'),
        ...(opt(v, 'reason') ? { reason: opt(v, 'reason') } : {}),
      }),
    judge: (j: PrintJobView) => judgePrint(j),
  },
  // ---- printing, as the API has it (issue 19, item 10) ----
  'print-jobs': {
    usage: 'print-jobs [--status queued|sending|printed|failed|uncertain] [--registrant ID] [--limit N]',
    options: { status: { type: 'string' }, registrant: { type: 'string' }, limit: { type: 'string' } },
    run: (s, v) => {
      const limit = int(v, 'limit', 1, 500);
      return s.call('print.jobs', {
        ...(opt(v, 'status') ? { status: opt(v, 'status') as 'queued' } : {}),
        ...(opt(v, 'registrant') ? { registrantId: opt(v, 'registrant') } : {}),
        ...(limit === undefined ? {} : { limit }),
      });
    },
  },
  'print-confirm': {
    usage: 'print-confirm --job ID --printed yes|no   (an uncertain job: staff looked at the printer)',
    options: { job: { type: 'string' }, printed: { type: 'string' } },
    run: (s, v) => {
      const printed = str(v, 'printed');
      if (printed !== 'yes' && printed !== 'no') throw new UsageError(`--printed takes yes or no, not "${printed}"`);
      return s.call('print.confirm', { jobId: str(v, 'job'), printed: printed === 'yes' });
    },
  },
  reprint: {
    usage:
      'reprint --job ID --reason TEXT [--printer URI]   (a new badge version; the old one stops working at the doors)',
    options: { job: { type: 'string' }, reason: { type: 'string' }, printer: { type: 'string' } },
    run: (s, v) =>
      s.call('print.reprint', {
        jobId: str(v, 'job'),
        reason: str(v, 'reason'),
        ...(opt(v, 'printer') ? { printer: opt(v, 'printer') } : {}),
      }),
    judge: (j: PrintJobView) => judgePrint(j),
  },
  'badge-preview': {
    usage:
      'badge-preview --registrant ID [--printer URI] [--png FILE]   (the badge as it would print; the image with --png)',
    options: { registrant: { type: 'string' }, printer: { type: 'string' }, png: { type: 'string' } },
    run: async (s, v) => {
      const r = await s.call('badge.preview', {
        registrantId: str(v, 'registrant'),
        ...(opt(v, 'printer') ? { printer: opt(v, 'printer') } : {}),
      });
      if (!r.ok) return r;
      const file = opt(v, 'png');
      if (file) writeOut(file, Buffer.from(r.value.png, 'base64'));
      const { png: _png, ...rest } = r.value;
      return { ok: true, value: { ...rest, ...(file ? { file } : {}) } };
    },
  },
  'badge-verify': {
    usage: 'badge-verify CODE   (a scanned badge code, checked offline)',
    positionals: ['CODE'],
    run: (s, _v, [code]) => s.call('badge.verify', { code: code! }),
  },
  printers: { usage: 'printers', run: (s) => s.call('printer.list', {}) },
  'printer-status': {
    usage: 'printer-status --printer URI',
    options: { printer: { type: 'string' } },
    run: (s, v) => s.call('printer.status', { printer: str(v, 'printer') }),
  },
  'test-page': {
    usage: 'test-page --printer URI',
    options: { printer: { type: 'string' } },
    run: (s, v) => s.call('printer.testPage', { printer: str(v, 'printer') }),
    judge: (j: PrintJobView) => judgePrint(j),
  },
  upgrade: {
    usage: `upgrade --registrant ID --session ID ${paymentUsage} [--supervisor ID --pin PIN]   (a seat added to a registration)`,
    options: {
      registrant: { type: 'string' },
      session: { type: 'string' },
      ...supervisorOptions,
      ...paymentOptions,
    },
    run: (s, v) =>
      s.call('registration.upgrade', {
        registrantId: str(v, 'registrant'),
        sessionId: str(v, 'session'),
        override: override(v),
        payment: payment(v),
      }),
    judge: (r: SaleOutcome) =>
      r.outcome === 'refused'
        ? { exit: EXIT.failed, line: `error (refused): ${r.message}` }
        : r.outcome === 'awaiting'
          ? { exit: EXIT.uncertain, line: `warning: ${r.message}` }
          : null,
  },
  'batch-print': {
    usage:
      'batch-print [--printer URI] [--order name|company] [--ticket-type ID] [--no-dividers]   (the night before: every badge not yet printed, in one process; waits until done or paused)',
    options: {
      printer: { type: 'string' },
      order: { type: 'string' },
      'ticket-type': { type: 'string' },
      'no-dividers': { type: 'boolean' },
    },
    run: (s, v) => {
      const order = opt(v, 'order') ?? 'name';
      if (order !== 'name' && order !== 'company')
        throw new UsageError(`--order takes name or company, not "${order}"`);
      return s.call('print.batch', {
        order,
        dividers: v['no-dividers'] !== true,
        wait: true,
        ...(opt(v, 'printer') ? { printer: opt(v, 'printer') } : {}),
        ...(opt(v, 'ticket-type') ? { ticketTypeId: opt(v, 'ticket-type') } : {}),
      });
    },
    judge: (b: PrintBatchView) => judgeBatch(b),
  },
  'batch-resume': {
    usage: 'batch-resume --batch ID   (after the printer is fixed: carries on where it stopped)',
    options: { batch: { type: 'string' } },
    run: (s, v) => s.call('print.batchResume', { batchId: str(v, 'batch'), wait: true }),
    judge: (b: PrintBatchView) => judgeBatch(b),
  },
  batches: { usage: 'batches', run: (s) => s.call('print.batches', {}) },
  cases: {
    usage: 'cases [--all]',
    options: { all: { type: 'boolean' } },
    run: (s, v) => s.call('cases.list', { status: v.all ? 'all' : 'open' }),
  },
  'audit-verify': {
    usage: "audit-verify   (the audit log's hash chain and SQLite's full integrity check)",
    run: (s) => s.call('audit.verify', {}),
    judge: (v: AuditVerification) =>
      v.ok
        ? null
        : {
            exit: EXIT.failed,
            line:
              v.integrity.state === 'damaged'
                ? `error (damaged): ${v.integrity.message!}`
                : `error (audit): the audit log was altered: ${v.problem ?? 'unknown problem'}.`,
          },
  },
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
  // ---- the supervisor console's reads and setup (issue 14) ----
  board: {
    usage: "board   (every session: sold, allotted, held here, free, HQ's age, this station's verdict)",
    run: (s) => s.call('sessions.board', {}),
  },
  'sync-details': {
    usage: "sync-details   (the link's last hour, the backlog draining, quarantined messages, seats in hand)",
    run: (s) => s.call('sync.details', {}),
  },
  'set-pin': {
    usage: 'set-pin --id ID --new-pin PIN --supervisor ID --supervisor-pin PIN   (also lifts a lockout)',
    options: {
      id: { type: 'string' },
      'new-pin': { type: 'string' },
      supervisor: { type: 'string' },
      'supervisor-pin': { type: 'string' },
    },
    run: (s, v) =>
      s.call('staff.setPin', {
        id: str(v, 'id'),
        pin: str(v, 'new-pin'),
        by: { supervisorId: str(v, 'supervisor'), pin: str(v, 'supervisor-pin') },
      }),
  },
  'test-connection': {
    usage: 'test-connection   (reads the connection string from standard input; tries send and listen; saves nothing)',
    run: (s) => s.call('settings.testConnection', { connectionString: readFileSync(0, 'utf8').trim() }),
    judge: (c: ConnectionCheck) =>
      c.ok ? null : { exit: EXIT.failed, line: `error (connection): ${c.steps.at(-1)?.words ?? 'failed'}` },
  },
  'settings-save': {
    usage:
      'settings-save --supervisor ID --supervisor-pin PIN [--station-id ID] [--mode MODE] [--printers URI,URI] [--policy JSON] [--connection-stdin | --no-connection]   (into settings.json beside the database; a new connection string, read from standard input, is tested first; station id, mode and connection apply at the next start)',
    options: {
      supervisor: { type: 'string' },
      'supervisor-pin': { type: 'string' },
      'station-id': { type: 'string' },
      mode: { type: 'string' },
      printers: { type: 'string' },
      policy: { type: 'string' },
      'connection-stdin': { type: 'boolean' },
      'no-connection': { type: 'boolean' },
    },
    run: (s, v) => {
      if (v['connection-stdin'] === true && v['no-connection'] === true)
        throw new UsageError('give --connection-stdin or --no-connection, not both');
      const policy = opt(v, 'policy');
      let parsedPolicy: unknown;
      if (policy !== undefined) {
        try {
          parsedPolicy = JSON.parse(policy);
        } catch (e) {
          throw new UsageError(`--policy is not valid JSON: ${(e as Error).message}`);
        }
      }
      const printers = opt(v, 'printers');
      // The station's schema checks every value (a bad one is named, nothing is written).
      return s.call('settings.save', {
        supervisor: { supervisorId: str(v, 'supervisor'), pin: str(v, 'supervisor-pin') },
        ...(opt(v, 'station-id') !== undefined ? { stationId: opt(v, 'station-id') } : {}),
        ...(opt(v, 'mode') !== undefined ? { mode: opt(v, 'mode') as 'desk' } : {}),
        ...(printers !== undefined ? { printers: printers.split(',').filter((p) => p.trim() !== '') } : {}),
        ...(policy !== undefined ? { policy: parsedPolicy as Record<string, number> } : {}),
        ...(v['connection-stdin'] === true ? { connectionString: readFileSync(0, 'utf8').trim() } : {}),
        ...(v['no-connection'] === true ? { connectionString: null } : {}),
      });
    },
  },
  // ---- backups (main/station/backups.ts) ----
  backup: {
    usage: 'backup   (an online backup now, into backups/ beside the database; the oldest beyond the kept number go)',
    run: (s) => s.call('backup.create', {}),
  },
  backups: {
    usage: 'backups   (the backups kept, and whether a restored station still waits for HQ)',
    run: (s) => s.call('backup.status', {}),
  },
  restore: {
    usage:
      'restore --from BACKUP.db [--no-hq]   (with the station stopped; a backup failing its integrity or audit check is refused)',
    options: { from: { type: 'string' }, 'no-hq': { type: 'boolean' } },
    run: () => Promise.reject(new Error('restore runs with the station closed')),
    offline: (dbPath, v) =>
      restoreStation({ dbPath, from: str(v, 'from'), at: new Date().toISOString(), withHq: v['no-hq'] !== true }),
  },
  'support-bundle': {
    usage:
      'support-bundle   (a zip for support in support/ beside the database: logs, status, versions, configuration without secrets; no personal data)',
    run: (s) => s.call('support.bundle', {}),
  },
  // ---- reconciliation (DESIGN §8) ----
  resolve: {
    usage:
      'resolve --case ID --action honor|reverse|move|waitlist|refuse --supervisor ID --pin PIN [--to SESSION] [--note TEXT]',
    options: {
      case: { type: 'string' },
      action: { type: 'string' },
      ...supervisorOptions,
      to: { type: 'string' },
      note: { type: 'string' },
    },
    run: (s, v) =>
      s.call('cases.resolve', {
        caseId: str(v, 'case'),
        action: str(v, 'action') as 'honor',
        supervisor: supervisorAuth(v),
        ...(opt(v, 'to') ? { moveToSessionId: opt(v, 'to') } : {}),
        ...(opt(v, 'note') !== undefined ? { note: opt(v, 'note') } : {}),
      }),
  },
  waitlist: {
    usage: 'waitlist --session ID',
    options: { session: { type: 'string' } },
    run: (s, v) => s.call('waitlist.list', { sessionId: str(v, 'session') }),
  },
  export: {
    usage: 'export contacts|cases --out FILE   (CSV, UTF-8 with a byte order mark)',
    positionals: ['REPORT'],
    options: { out: { type: 'string' } },
    run: async (s, v, [report]) => {
      if (report !== 'contacts' && report !== 'cases')
        throw new UsageError(`export takes "contacts" or "cases", not "${report}"`);
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
    "supervisor (import, import-csv, audit-verify, export) need that supervisor's --pin too. staff-add needs neither.",
    '',
    'commands:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'Prints the result as JSON on stdout. Exit codes:',
    `  ${EXIT.done}  done`,
    `  ${EXIT.failed}  failed (the reason is on stderr, the error as JSON on stdout; nothing was written unless it says so)`,
    `  ${EXIT.usage}  usage error: the command line could not be understood; nothing was done`,
    `  ${EXIT.uncertain}  done, but needs a look (stderr says what): a print job that may or may not have printed,`,
    '     a sale waiting for HQ, CSV rows that were rejected',
  ].join('\n');
}

export interface CliIo {
  out(line: string): void;
  /** One line per failure or warning. */
  err(line: string): void;
  /** Progress of long writes (imports); omitted: none (the CLI shows it on a terminal only). */
  progress?(line: string): void;
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** Runs one command line; returns the exit code (EXIT). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const say = (line: string) => io.err(oneLine(line));
  const ci = argv.findIndex((a) => !a.startsWith('-') && Object.hasOwn(commands, a));
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(usage());
    return EXIT.done;
  }
  if (ci < 0) {
    const unknown = argv.find(
      (a, i) => !a.startsWith('-') && !['--db', '--station', '--staff', '--pin'].includes(argv[i - 1] ?? ''),
    );
    say(
      `error: ${unknown ? `unknown command "${unknown.slice(0, 80)}"` : 'no command given'}; --help lists the commands`,
    );
    return EXIT.usage;
  }
  const name = argv[ci]!;
  const command = commands[name]!;
  let station: Station | undefined;
  try {
    const global = parseArgs({
      args: argv.slice(0, ci),
      options: {
        db: { type: 'string' },
        station: { type: 'string' },
        staff: { type: 'string' },
        pin: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    if (global.values.pin !== undefined && global.values.staff === undefined)
      throw new UsageError('--pin goes with --staff ID');
    const local = parseArgs({
      args: argv.slice(ci + 1),
      options: command.options ?? {},
      strict: true,
      allowPositionals: true,
    });
    const wanted = command.positionals ?? [];
    if (local.positionals.length !== wanted.length) {
      throw new UsageError(`${name} takes ${wanted.length ? wanted.join(' ') : 'no positional arguments'}`);
    }
    const db = checkDbPath(global.values.db);
    if (command.offline) {
      const result = await command.offline(db, local.values as Values);
      io.out(JSON.stringify(result.ok ? result.value : { error: result.error }, null, 2));
      if (!result.ok) say(`error (${result.error.code}): ${describeError(result.error)}`);
      return result.ok ? EXIT.done : EXIT.failed;
    }
    if (global.values.station !== undefined && !StationId.safeParse(global.values.station).success) {
      throw new UsageError(
        `--station "${global.values.station}" is not a station id (lowercase letters, digits and dashes, e.g. desk-2)`,
      );
    }
    // A new database gets the given station id, or "desk-1"; an existing one keeps its own.
    const stationId = global.values.station ?? (existsSync(db) ? undefined : 'desk-1');
    station = await createStation({
      dbPath: db,
      ...(stationId ? { stationId } : {}),
      // settings-save writes where the runtime reads: the data folder of this database.
      settingsStore: fileSettingsStore(settingsFileIn(dirname(db))),
    });
    const progress = station.events$.subscribe((e) => {
      if (e.type === 'progress' && (e.done === e.total || e.done % 10_000 < 400))
        io.progress?.(`${e.operation}: ${e.phase} ${e.done}/${e.total}`);
    });
    const caller = await operator(station, global.values.staff, global.values.pin);
    if (!caller.ok) {
      progress.unsubscribe();
      io.out(JSON.stringify({ error: caller.error }, null, 2));
      say(`error (${caller.error.code}): ${caller.error.message}`);
      return EXIT.failed;
    }
    const acting = station;
    const as: CliStation = {
      call: (channel, request) => acting.callAs(caller.value, channel, request),
      integrity: () => acting.integrity(),
    };
    const result = await command.run(as, local.values as Values, local.positionals);
    progress.unsubscribe();
    io.out(JSON.stringify(result.ok ? result.value : { error: result.error }, null, 2));
    if (!result.ok) {
      say(`error (${result.error.code}): ${describeError(result.error)}`);
      return EXIT.failed;
    }
    const judged = command.judge?.(result.value as never) ?? null;
    // Whatever the command, a database that failed its integrity check is a failure to report.
    const integrity = await station.integrity();
    if (!integrity.ok && judged?.exit !== EXIT.failed) {
      say(`error (damaged): ${damagedMessage(integrity.problems)}`);
      return EXIT.failed;
    }
    if (judged) say(judged.line);
    return judged?.exit ?? EXIT.done;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const isUsage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.out(JSON.stringify({ error: { code: isUsage ? 'invalid_input' : 'internal', message } }, null, 2));
    say(isUsage ? `error: ${message} (usage: ${command.usage.split('   ')[0]})` : `error: ${message}`);
    return isUsage ? EXIT.usage : EXIT.failed;
  } finally {
    await station?.close();
  }
}

/**
 * The operator's caller: `--staff ID` must be someone on this station; with `--pin` (checked, and counted towards the
 * lockout like any PIN) they act in their own role, without it as desk staff at most.
 */
async function operator(
  station: Station,
  staffId: string | undefined,
  pin: string | undefined,
): Promise<Result<Caller>> {
  const caller: Caller = { transport: 'cli', mode: station.mode, session: null };
  if (staffId === undefined) return { ok: true, value: caller };
  if (pin !== undefined) {
    const v = await station.call('staff.verify', { staffId, pin });
    if (!v.ok) return v;
    return { ok: true, value: { ...caller, session: { staffId: v.value.id, role: v.value.role } } };
  }
  const list = await station.call('staff.list', {});
  if (!list.ok) return list;
  if (!list.value.some((s) => s.id === staffId))
    return {
      ok: false,
      error: {
        code: 'unauthorized',
        message: `No staff member "${staffId}" on this station (add one with staff-add).`,
      },
    };
  return { ok: true, value: { ...caller, session: { staffId, role: 'desk' } } };
}

/** The error in English for a person at a terminal: a refusal lists every failed condition in words. */
export function describeError(e: AppError): string {
  if (e.code === 'refused' && e.details && 'failed' in e.details)
    return `Sale refused: ${e.details.failed.map(describeFailedCondition).join('; ')}.`;
  return e.message;
}

/** The station database is a file: ":memory:" or "" would report an import and keep nothing. */
function checkDbPath(db: string | undefined): string {
  if (db === undefined) throw new UsageError('--db FILE is required (the station database; created if missing)');
  if (db.trim() === '' || db === ':memory:')
    throw new UsageError(`--db needs a file name ("${db}" would keep nothing)`);
  if (existsSync(db) && statSync(db).isDirectory())
    throw new UsageError(`--db ${db} is a folder; give the station database file in it (created if missing)`);
  if (!existsSync(dirname(db))) throw new UsageError(`--db ${db}: the folder ${dirname(db)} does not exist`);
  return db;
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main/station/cli.ts');
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    ...(process.stderr.isTTY ? { progress: (l: string) => process.stderr.write(l + '\n') } : {}),
  });
  process.exitCode = code;
}
