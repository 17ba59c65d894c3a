/** Importing a conference, registrants from CSV, searching, walk-up registration, the session list. */
import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { ImportReport, SessionView } from '../../../core/api';
import type { Caller } from '../../../core/access';
import { localDay, shiftConference } from '../../../core/calendar';
import { Registrant, type ConferenceFile } from '../../../core/conference';
import { DomainError } from '../../../core/result';
import {
  catalogIds, getConference, getRegistrantDetail, refreshImportedAvailability, listSessions, listTicketTypes, searchRegistrants, ticketTypeExists, upsertConference,
  upsertSessions, upsertTicketTypes,
} from '../../store/catalog';
import type { Tx } from '../../store/db';
import { availabilityView, checkInsBySession } from '../../store/sales';
import { actor, audit, emit, inTx, nowIso, requireConference, type StationContext } from '../context';
import { planCsvImport, readCsvTable } from '../csv-import';
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
      const table = readCsvTable(req.csv, req.mapping, req.defaults.ticketTypeId);
      // Rows are matched inside the transaction that writes them: nobody changes a registrant in between.
      return inTx(ctx, async (tx) => {
        const plan = planCsvImport(table, { defaultTicketType: req.defaults.ticketTypeId, separator: req.sessionsSeparator, known: await catalogIds(tx) }, ctx.registrants);
        if (plan.registrants.length === 0) {
          const first = plan.rejected.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
          throw new DomainError('invalid_input', `Nothing was imported: every row was rejected (${first}${plan.rejectedCount > 3 ? `; and ${plan.rejectedCount - 3} more` : ''}).`, { rejected: plan.rejected, rejectedCount: plan.rejectedCount });
        }
        const total = plan.registrants.length;
        progress('registrants.importCsv', 'writing', 0, total);
        const seats = req.mapping.sessions ? 'replace' : 'keep';
        const r = ctx.registrants.upsert(conference.id, plan.registrants, 'import', nowIso(ctx), (done) => progress('registrants.importCsv', 'writing', done, total), seats);
        await refreshImportedAvailability(tx);
        await audit(ctx, tx, { actor: 'import', action: 'registrants.importCsv', subject: conference.id, details: { rows: total, inserted: r.inserted, updated: r.updated, rejected: plan.rejectedCount } });
        progress('registrants.importCsv', 'done', total, total);
        return {
          conferenceId: conference.id, sessions: 0, ticketTypes: 0, registrants: { inserted: r.inserted, updated: r.updated }, entitlements: r.entitlements,
          rejected: plan.rejected, rejectedCount: plan.rejectedCount,
        };
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
        const by = await actor(tx, caller);
        ctx.registrants.upsert(conference.id, [registrant], 'walkup', nowIso(ctx));
        await emit(ctx, tx, 'RegistrantRegistered', { registrant });
        await audit(ctx, tx, { actor: by, action: 'registrant.registerWalkUp', subject: registrant.id, details: { name: `${registrant.firstName} ${registrant.lastName}`.trim() } });
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
    rejected: [],
    rejectedCount: 0,
  };
}

/** Walk-up confirmation codes: unambiguous letters and digits, marked with the station. */
function walkUpCode(stationId: string): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 6; i++) s += alphabet[randomInt(alphabet.length)];
  return `W${stationId.slice(0, 4).toUpperCase()}-${s}`;
}
