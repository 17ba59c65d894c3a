/** Importing a conference, registrants from CSV, searching, walk-up registration, the session list. */
import { parse as parseCsv } from 'csv-parse/sync';
import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ImportReport, SessionView } from '../../../core/api';
import type { Caller } from '../../../core/access';
import { localDay, shiftConference } from '../../../core/calendar';
import { describeIssues, Registrant, type ConferenceFile } from '../../../core/conference';
import { DomainError } from '../../../core/result';
import {
  getConference, getRegistrantDetail, refreshImportedAvailability, listSessions, listTicketTypes, searchRegistrants, ticketTypeExists, upsertConference,
  upsertSessions, upsertTicketTypes,
} from '../../store/catalog';
import type { Db, Tx } from '../../store/db';
import { availabilityView, checkInsBySession } from '../../store/sales';
import { actor, audit, emit, inTx, nowIso, requireConference, type StationContext } from '../context';
import type { Handlers } from '../serve';

export function catalogHandlers(
  ctx: StationContext,
): Pick<Handlers, 'conference.import' | 'registrants.importCsv' | 'sessions.list' | 'ticketTypes.list' | 'registrant.search' | 'registrant.get' | 'registrant.registerWalkUp'> {
  const progress = (operation: string, phase: 'validating' | 'writing' | 'done', done: number, total: number) =>
    ctx.events.emit({ type: 'progress', operation, phase, done, total });

  return {
    'conference.import': async ({ data: file, shiftTo }) => {
      let data = file;
      try {
        if (shiftTo) data = shiftConference(file, shiftTo === 'today' ? localDay(ctx.clock.now(), file.conference.timezone) : shiftTo);
      } catch (e) {
        throw new DomainError('invalid_input', `shiftTo: ${(e as Error).message}`);
      }
      const existing = await getConference(ctx.db);
      if (existing && existing.id !== data.conference.id) {
        throw new DomainError('conflict', `This station holds conference "${existing.name}" (${existing.id}); it cannot also import "${data.conference.id}". Use a new station database.`);
      }
      return inTx(ctx, (tx) => importConference(ctx, tx, data, progress));
    },

    'registrants.importCsv': async (req) => {
      const conference = await requireConference(ctx.db);
      const registrants = await registrantsFromCsv(ctx.db, req.csv, req.mapping, req.defaults.ticketTypeId, req.sessionsSeparator);
      return inTx(ctx, async (tx) => {
        const total = registrants.length;
        progress('registrants.importCsv', 'writing', 0, total);
        const r = ctx.registrants.upsert(conference.id, registrants, 'import', nowIso(ctx), (done) => progress('registrants.importCsv', 'writing', done, total));
        await refreshImportedAvailability(tx);
        await audit(ctx, tx, { actor: 'import', action: 'registrants.importCsv', subject: conference.id, details: { rows: total, inserted: r.inserted, updated: r.updated } });
        progress('registrants.importCsv', 'done', total, total);
        return { conferenceId: conference.id, sessions: 0, ticketTypes: 0, registrants: { inserted: r.inserted, updated: r.updated }, entitlements: r.entitlements };
      });
    },

    'sessions.list': async () => {
      const out: SessionView[] = [];
      const checkedIn = await checkInsBySession(ctx.db);
      for (const s of await listSessions(ctx.db)) {
        const availability = await availabilityView(ctx.db, s.id);
        if (!availability) continue;
        out.push({ id: s.id, title: s.title, room: s.room, startsAt: s.starts_at, endsAt: s.ends_at, sellable: s.sellable === 1, availability, checkedIn: checkedIn.get(s.id) ?? 0 });
      }
      return out;
    },

    'ticketTypes.list': async () => listTicketTypes(ctx.db),

    'registrant.search': async ({ query, limit }, caller) => {
      const found = await searchRegistrants(ctx.db, query, limit);
      return publicFacing(caller) ? found.map((r) => ({ ...r, email: maskEmail(r.email) })) : found;
    },

    'registrant.get': async ({ id }, caller) => {
      const r = await getRegistrantDetail(ctx.db, id);
      if (!r) throw new DomainError('not_found', `No registrant with id "${id}".`);
      return publicFacing(caller) ? { ...r, email: maskEmail(r.email) } : r;
    },

    'registrant.registerWalkUp': async (req, caller) => {
      const conference = await requireConference(ctx.db);
      if (!(await ticketTypeExists(ctx.db, req.ticketTypeId))) throw new DomainError('not_found', `Unknown ticket type "${req.ticketTypeId}".`);
      const registrant = Registrant.parse({
        id: `w-${uuidv7()}`,
        confirmationCode: walkUpCode(ctx.stationId),
        firstName: req.firstName,
        lastName: req.lastName,
        email: req.email,
        company: req.company,
        ticketTypeId: req.ticketTypeId,
        sessions: [],
      });
      return inTx(ctx, async (tx) => {
        ctx.registrants.upsert(conference.id, [registrant], 'walkup', nowIso(ctx));
        await emit(ctx, tx, 'RegistrantRegistered', { registrant });
        await audit(ctx, tx, { actor: actor(caller), action: 'registrant.registerWalkUp', subject: registrant.id, details: { name: `${registrant.firstName} ${registrant.lastName}`.trim() } });
        return (await getRegistrantDetail(tx, registrant.id))!;
      });
    },
  };
}

/** A kiosk screen with nobody from staff signed in: whoever stands there may not be the person they look up. */
const publicFacing = (caller: Caller) => caller.mode === 'kiosk' && caller.session === null && caller.transport !== 'internal';

/** "jose.nunez@example.com" → "j•••@example.com": enough for a person to recognise their own address. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return email ? '•••' : '';
  return `${email[0]}•••${email.slice(at)}`;
}

export async function importConference(
  ctx: StationContext,
  tx: Tx,
  data: ConferenceFile,
  progress: (op: string, phase: 'validating' | 'writing' | 'done', done: number, total: number) => void,
): Promise<ImportReport> {
  const at = nowIso(ctx);
  const total = data.registrants.length;
  progress('conference.import', 'writing', 0, total);
  await upsertConference(tx, data.conference, at);
  await upsertTicketTypes(tx, data.conference.id, data.ticketTypes);
  await upsertSessions(tx, data.conference.id, data.sessions);
  const r = ctx.registrants.upsert(data.conference.id, data.registrants, 'import', at, (done) => progress('conference.import', 'writing', done, total));
  // Availability is derived from the entitlements just written (until HQ sends its own numbers).
  await refreshImportedAvailability(tx);
  await audit(ctx, tx, {
    actor: 'import',
    action: 'conference.import',
    subject: data.conference.id,
    details: { sessions: data.sessions.length, ticketTypes: data.ticketTypes.length, inserted: r.inserted, updated: r.updated, startsOn: data.conference.startsOn },
  });
  progress('conference.import', 'done', total, total);
  return {
    conferenceId: data.conference.id,
    startsOn: data.conference.startsOn,
    sessions: data.sessions.length,
    ticketTypes: data.ticketTypes.length,
    registrants: { inserted: r.inserted, updated: r.updated },
    entitlements: r.entitlements,
  };
}

/** Reads registrants from another ticketing system's CSV export through a column mapping; all rows or none. */
async function registrantsFromCsv(
  db: Db,
  csv: string,
  mapping: Partial<Record<string, string>>,
  defaultTicketType: string | undefined,
  separator: string,
): Promise<Registrant[]> {
  let records: Record<string, string>[];
  try {
    records = parseCsv(csv, { columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as Record<string, string>[];
  } catch (e) {
    throw new DomainError('invalid_input', `The CSV could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (records.length === 0) throw new DomainError('invalid_input', 'The CSV has a header but no rows.');
  const headers = Object.keys(records[0]!);
  const missing = Object.entries(mapping).filter(([, col]) => !headers.includes(col!)).map(([f, col]) => `${f} → "${col}"`);
  if (missing.length) throw new DomainError('invalid_input', `These mapped columns are not in the CSV: ${missing.join(', ')}. Columns found: ${headers.join(', ')}.`);
  if (!mapping.confirmationCode) throw new DomainError('invalid_input', 'Map a column to confirmationCode (every registrant needs one).');
  if (!mapping.ticketTypeId && !defaultTicketType) throw new DomainError('invalid_input', 'Map a column to ticketTypeId or give a default ticket type.');

  const knownTickets = new Set((await db.selectFrom('ticket_type').select('id').execute()).map((t) => t.id));
  const knownSessions = new Set((await db.selectFrom('session').select('id').execute()).map((s) => s.id));
  const problems: string[] = [];
  const out: Registrant[] = [];
  const seen = new Set<string>();
  records.forEach((rec, i) => {
    const line = i + 2; // header is line 1
    const get = (f: string) => (mapping[f] ? (rec[mapping[f]!] ?? '') : '');
    const code = get('confirmationCode');
    const candidate = {
      id: get('id') || `r-${code.replace(/[^\w.:@-]/g, '-')}`,
      confirmationCode: code,
      firstName: get('firstName'),
      lastName: get('lastName'),
      email: get('email'),
      company: get('company'),
      ticketTypeId: get('ticketTypeId') || defaultTicketType || '',
      sessions: get('sessions') ? get('sessions').split(separator).map((s) => s.trim()).filter(Boolean) : [],
    };
    const parsed = Registrant.safeParse(candidate);
    if (!parsed.success) return void problems.push(`line ${line}: ${describeIssues(parsed.error, 2)}`);
    const r = parsed.data;
    if (!knownTickets.has(r.ticketTypeId)) problems.push(`line ${line}: unknown ticket type "${r.ticketTypeId}"`);
    const unknown = r.sessions.filter((s) => !knownSessions.has(s));
    if (unknown.length) problems.push(`line ${line}: unknown session(s) ${unknown.join(', ')}`);
    if (seen.has(r.id)) problems.push(`line ${line}: registrant "${r.id}" appears twice`);
    seen.add(r.id);
    out.push(r);
  });
  if (problems.length) {
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    throw new DomainError('invalid_input', `Nothing was imported: ${problems.slice(0, 5).join('; ')}${more}.`, { problems: problems.slice(0, 100) });
  }
  return out;
}

/** Walk-up confirmation codes: unambiguous letters and digits, marked with the station. */
function walkUpCode(stationId: string): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 6; i++) s += alphabet[randomInt(alphabet.length)];
  return `W${stationId.slice(0, 4).toUpperCase()}-${s}`;
}
