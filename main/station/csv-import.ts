/**
 * Registrants from another ticketing system's CSV export, through a column mapping (`registrants.importCsv`).
 *
 * The file is read first: a problem with the file as a whole (unreadable, a mapped column missing, a header named
 * twice, no rows) imports nothing. Then each row is matched and checked on its own; a bad row is rejected with its
 * line and reason and nothing of it is written, while the good rows import.
 *
 * Matching never guesses. A row names an existing registrant only by an explicit key: its mapped `id`, or its
 * confirmation code and email together. A row without a mapped id is a new registrant whose id is derived from its
 * code in a namespace of its own (`csv-<code>`), so it can never land on an id from another source (the demo's
 * `r-00003`, a walk-up's `w-…`). A row that would land on a different person — an id whose registrant has another
 * code, a code that belongs to someone with another email — is rejected, naming whom it would have overwritten.
 * A matched registrant gets only the mapped fields; without a mapped sessions column their seats stay as they are.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { REJECTED_LISTED, type RejectedRow } from '../../core/api';
import { describeIssues, Registrant, type registrantCsvFields } from '../../core/conference';
import { DomainError } from '../../core/result';
import type { RegistrantKeyRow, RegistrantWriter } from '../store/catalog';

export type CsvField = (typeof registrantCsvFields)[number];
export type CsvMapping = Partial<Record<CsvField, string>>;

export interface CsvTable {
  /** Column index of each mapped field. */
  columns: Partial<Record<CsvField, number>>;
  width: number;
  rows: { line: number; cells: string[] }[];
}

/** Parses the file and checks it as a whole; throws `invalid_input` (nothing is imported) for a file-level problem. */
export function readCsvTable(csv: string, mapping: CsvMapping, defaultTicketType: string | undefined): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(csv, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new DomainError(
      'invalid_input',
      `The CSV could not be read; nothing was imported: ${oneLine(e instanceof Error ? e.message : String(e))}`,
    );
  }
  const [head, ...body] = records;
  if (!head || body.length === 0)
    throw new DomainError('invalid_input', 'The CSV has a header but no rows; nothing was imported.');
  const headers = head.record;
  const twice = headers.filter((h, i) => h !== '' && headers.indexOf(h) !== i);
  if (twice.length)
    throw new DomainError(
      'invalid_input',
      `The CSV header names ${[...new Set(twice)].map((h) => `"${h}"`).join(', ')} twice; which one is meant? Nothing was imported.`,
    );
  const missing = Object.entries(mapping)
    .filter(([, col]) => !headers.includes(col))
    .map(([f, col]) => `${f} → "${col}"`);
  if (missing.length)
    throw new DomainError(
      'invalid_input',
      `These mapped columns are not in the CSV: ${missing.join(', ')}. Columns found: ${headers.join(', ')}. Nothing was imported.`,
    );
  if (!mapping.confirmationCode)
    throw new DomainError('invalid_input', 'Map a column to confirmationCode (every registrant needs one).');
  if (!mapping.ticketTypeId && !defaultTicketType)
    throw new DomainError('invalid_input', 'Map a column to ticketTypeId or give a default ticket type.');
  const columns: CsvTable['columns'] = {};
  for (const [field, col] of Object.entries(mapping)) columns[field as CsvField] = headers.indexOf(col);
  return {
    columns,
    width: headers.length,
    // A quoted field may span lines; report the line a row starts on.
    rows: body.map((r) => ({
      line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
      cells: r.record,
    })),
  };
}

/**
 * The header and first rows of a file as `readCsvTable` would read them, for the mapping step on screen: problems
 * with the file are returned as words (the preview is shown whatever it finds), never thrown.
 */
export function readCsvHead(
  csv: string,
  rows: number,
): { headers: string[]; rows: { line: number; cells: string[] }[]; problems: string[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // to_line bounds the work: the screen sends the start of a large file, and a row is at most a few lines.
    records = parseCsv(csv, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      to: rows + 1,
    }) as unknown as typeof records;
  } catch (e) {
    return {
      headers: [],
      rows: [],
      problems: [`The CSV could not be read: ${oneLine(e instanceof Error ? e.message : String(e))}`],
    };
  }
  const [head, ...body] = records;
  const headers = head?.record ?? [];
  const problems: string[] = [];
  if (body.length === 0) problems.push('The CSV has a header but no rows.');
  const twice = headers.filter((h, i) => h !== '' && headers.indexOf(h) !== i);
  if (twice.length)
    problems.push(
      `The CSV header names ${[...new Set(twice)].map((h) => `"${h}"`).join(', ')} twice; which one is meant?`,
    );
  return {
    headers,
    rows: body.map((r) => ({
      line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
      cells: r.record,
    })),
    problems,
  };
}

export interface CsvPlan {
  registrants: Registrant[];
  rejected: RejectedRow[];
  rejectedCount: number;
}

/**
 * Matches and checks every row against the station's registrants (`lookup`, inside the import's transaction).
 * Rows that pass become the registrants to write; the others are listed with their line and reason.
 */
export function planCsvImport(
  table: CsvTable,
  opts: {
    defaultTicketType: string | undefined;
    separator: string;
    known: { ticketTypes: Set<string>; sessions: Set<string> };
  },
  lookup: Pick<RegistrantWriter, 'find' | 'withCode'>,
): CsvPlan {
  const rejected: RejectedRow[] = [];
  const accepted: { line: number; registrant: Registrant }[] = [];
  for (const row of table.rows) {
    const r = planRow(row, table, opts, lookup);
    if (typeof r === 'string') rejected.push({ line: row.line, reason: r });
    else accepted.push({ line: row.line, registrant: r });
  }
  // Two rows for one registrant (or one code): which is right? Neither is imported.
  const lines = (key: (r: Registrant) => string) => {
    const m = new Map<string, number[]>();
    for (const a of accepted) m.set(key(a.registrant), [...(m.get(key(a.registrant)) ?? []), a.line]);
    return m;
  };
  const byId = lines((r) => r.id);
  const byCode = lines((r) => r.confirmationCode);
  const registrants: Registrant[] = [];
  for (const a of accepted) {
    const sameId = byId.get(a.registrant.id)!;
    const sameCode = byCode.get(a.registrant.confirmationCode)!;
    if (sameId.length > 1)
      rejected.push({
        line: a.line,
        reason: `lines ${sameId.join(', ')} are all registrant "${a.registrant.id}"; keep one of them`,
      });
    else if (sameCode.length > 1)
      rejected.push({
        line: a.line,
        reason: `lines ${sameCode.join(', ')} all have confirmation code "${a.registrant.confirmationCode}"; keep one of them`,
      });
    else registrants.push(a.registrant);
  }
  rejected.sort((a, b) => a.line - b.line);
  return { registrants, rejected: rejected.slice(0, REJECTED_LISTED), rejectedCount: rejected.length };
}

/** The id of a new registrant from a CSV row without a mapped id: its code, in the `csv-` namespace. */
export function csvRegistrantId(code: string): string {
  return `csv-${code.replace(/[^\w.:@-]/g, '-')}`;
}

/** One row: the registrant to write, or why not. */
function planRow(
  row: { line: number; cells: string[] },
  table: CsvTable,
  opts: Parameters<typeof planCsvImport>[1],
  lookup: Pick<RegistrantWriter, 'find' | 'withCode'>,
): Registrant | string {
  if (row.cells.length !== table.width)
    return `it has ${row.cells.length} field${row.cells.length === 1 ? '' : 's'}; the header has ${table.width}`;
  /** The cell of a mapped field, or undefined when the field is not mapped. */
  const get = (f: CsvField): string | undefined =>
    table.columns[f] === undefined ? undefined : (row.cells[table.columns[f]] ?? '');
  const code = get('confirmationCode') ?? '';
  if (!code) return 'no confirmation code';
  const givenId = get('id') || undefined;

  let existing: RegistrantKeyRow | undefined;
  let id: string;
  if (givenId) {
    existing = lookup.find(givenId);
    if (existing && existing.confirmation_code !== code) {
      return `registrant "${givenId}" is ${who(existing)} with confirmation code "${existing.confirmation_code}", not "${code}"; this row would overwrite a different person`;
    }
    const other = lookup.withCode(code).find((o) => o.id !== givenId);
    if (other) return `confirmation code "${code}" already belongs to ${who(other)} ("${other.id}"), not "${givenId}"`;
    id = givenId;
  } else {
    const owners = lookup.withCode(code);
    if (owners.length > 0) {
      const email = get('email');
      if (email === undefined)
        return `confirmation code "${code}" already belongs to ${who(owners[0]!)} ("${owners[0]!.id}"); to update a registrant, map its id column or its email column (code and email must both match)`;
      existing = email ? owners.find((o) => o.email.toLowerCase() === email.toLowerCase()) : undefined;
      if (!existing)
        return `confirmation code "${code}" belongs to ${who(owners[0]!)} ("${owners[0]!.id}") with another email; this row would overwrite a different person`;
      id = existing.id;
    } else {
      id = csvRegistrantId(code);
      const taken = lookup.find(id);
      if (taken)
        return `its id "${id}" (from the confirmation code) is taken by ${who(taken)} with code "${taken.confirmation_code}"; map an id column`;
    }
  }

  // A matched registrant keeps what the file does not map; a new one gets the defaults.
  const field = (f: 'firstName' | 'lastName' | 'email' | 'company', current: string | undefined) =>
    get(f) ?? current ?? '';
  const sessionsCell = get('sessions');
  const parsed = Registrant.safeParse({
    // The badge fields a CSV cannot map (preferred name, pronouns...) stay as they are.
    ...(existing?.profile_json ? (JSON.parse(existing.profile_json) as object) : {}),
    id,
    confirmationCode: code,
    firstName: field('firstName', existing?.first_name),
    lastName: field('lastName', existing?.last_name),
    email: field('email', existing?.email),
    company: field('company', existing?.company),
    ticketTypeId: get('ticketTypeId') || existing?.ticket_type_id || opts.defaultTicketType || '',
    sessions: sessionsCell
      ? sessionsCell
          .split(opts.separator)
          .map((x) => x.trim())
          .filter(Boolean)
      : [],
    // A status column (paid, pending, cancelled, refunded; any case); unmapped or empty, a registrant keeps theirs.
    ...(get('status') ? { status: get('status')!.toLowerCase() } : existing ? { status: existing.status } : {}),
  });
  if (!parsed.success) return describeIssues(parsed.error, 2);
  const r = parsed.data;
  if (!opts.known.ticketTypes.has(r.ticketTypeId)) return `unknown ticket type "${r.ticketTypeId}"`;
  const unknown = r.sessions.filter((x) => !opts.known.sessions.has(x));
  if (unknown.length) return `unknown session${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`;
  return r;
}

const who = (r: RegistrantKeyRow) => `${r.first_name} ${r.last_name}`.trim() || r.id;
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');
