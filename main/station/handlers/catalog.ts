/** Importing a conference, registrants from CSV, searching, walk-up registration, the session list. */
import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import distance from 'damerau-levenshtein';
import {
  type Progress,
  REJECTED_LISTED,
  type ImportReport,
  type RegistrantSummary,
  type SessionView,
  type WalkUpOutcome,
} from '../../../core/api';
import type { Caller } from '../../../core/access';
import { localDay, shiftConference } from '../../../core/calendar';
import { Registrant, type ConferenceFile } from '../../../core/conference';
import { decimal } from '../../../core/money';
import { DomainError, type AppError } from '../../../core/result';
import {
  catalogIds,
  getConference,
  refreshImportedAvailability,
  listSessions,
  upsertConference,
  upsertSessions,
  upsertTicketTypes,
} from '../../store/catalog';
import type { Tx } from '../../store/db';
import { foldText } from '../../store/fold';
import {
  cancelMissing,
  getRegistrantDetail,
  getTicketType,
  listTicketTypes,
  nextFileRound,
} from '../../store/registrations';
import { availabilityView, checkInsBySession } from '../../store/sales';
import { registrantSummary, searchRegistrants } from '../../store/search';
import { actor, audit, emit, inTx, nowIso, requireConference, type StationContext } from '../context';
import { planCsvImport, readCsvTable } from '../csv-import';
import type { Handlers } from '../serve';
import { requirePayment, takePayment } from './payments';
import { unknownTicketType } from './registrations';
import { sell } from './sales';
import { checkSupervisor } from './staff';

export function catalogHandlers(
  ctx: StationContext,
): Pick<
  Handlers,
  | 'conference.import'
  | 'registrants.importCsv'
  | 'sessions.list'
  | 'ticketTypes.list'
  | 'registrant.search'
  | 'registrant.get'
  | 'registrant.registerWalkUp'
> {
  const progress = (operation: string, phase: Progress['phase'], done: number, total: number) =>
    ctx.events.emit({ type: 'progress', operation, phase, done, total });

  return {
    'conference.import': async ({ data: file, shiftTo }) => {
      let data = file;
      try {
        if (shiftTo)
          data = shiftConference(
            file,
            shiftTo === 'today' ? localDay(ctx.clock.now(), file.conference.timezone) : shiftTo,
          );
      } catch (e) {
        throw new DomainError('invalid_input', `shiftTo: ${(e as Error).message}`);
      }
      const existing = await getConference(ctx.db);
      if (existing && existing.id !== data.conference.id) {
        throw new DomainError(
          'conflict',
          `This station holds conference "${existing.name}" (${existing.id}); it cannot also import "${data.conference.id}". Use a new station database.`,
        );
      }
      return inTx(ctx, (tx) => importConference(ctx, tx, data, progress, 'whole file'));
    },

    'registrants.importCsv': async (req) => {
      const conference = await requireConference(ctx.db);
      const table = readCsvTable(req.csv, req.mapping, req.defaults.ticketTypeId);
      // Rows are matched inside the transaction that writes them: nobody changes a registrant in between.
      return inTx(ctx, async (tx) => {
        const plan = planCsvImport(
          table,
          {
            defaultTicketType: req.defaults.ticketTypeId,
            separator: req.sessionsSeparator,
            known: await catalogIds(tx),
          },
          ctx.registrants,
        );
        if (plan.registrants.length === 0) {
          const first = plan.rejected
            .slice(0, 3)
            .map((r) => `line ${r.line}: ${r.reason}`)
            .join('; ');
          throw new DomainError(
            'invalid_input',
            `Nothing was imported: every row was rejected (${first}${plan.rejectedCount > 3 ? `; and ${plan.rejectedCount - 3} more` : ''}).`,
            { rejected: plan.rejected, rejectedCount: plan.rejectedCount },
          );
        }
        const total = plan.registrants.length;
        progress('registrants.importCsv', 'writing', 0, total);
        const seats = req.mapping.sessions ? 'replace' : 'keep';
        const r = ctx.registrants.upsert(
          conference.id,
          plan.registrants,
          'import',
          nowIso(ctx),
          (phase, done, of) => progress('registrants.importCsv', phase, done, of),
          seats,
        );
        await refreshImportedAvailability(tx);
        audit(ctx, tx, {
          actor: 'import',
          action: 'registrants.importCsv',
          subject: conference.id,
          details: { rows: total, inserted: r.inserted, updated: r.updated, rejected: plan.rejectedCount },
        });
        progress('registrants.importCsv', 'done', total, total);
        return {
          conferenceId: conference.id,
          sessions: 0,
          ticketTypes: 0,
          registrants: { inserted: r.inserted, updated: r.updated },
          entitlements: r.entitlements,
          rejected: plan.rejected,
          rejectedCount: plan.rejectedCount,
        };
      });
    },

    'sessions.list': async () => {
      const out: SessionView[] = [];
      const checkedIn = await checkInsBySession(ctx.db);
      for (const s of await listSessions(ctx.db)) {
        const availability = await availabilityView(ctx.db, s.id);
        if (!availability) continue;
        out.push({
          id: s.id,
          title: s.title,
          room: s.room,
          startsAt: s.starts_at,
          endsAt: s.ends_at,
          sellable: s.sellable === 1,
          availability,
          checkedIn: checkedIn.get(s.id) ?? 0,
        });
      }
      return out;
    },

    'ticketTypes.list': async () => listTicketTypes(ctx.db),

    'registrant.search': async ({ query, limit }, caller) => {
      const found = await searchRegistrants(ctx.db, query, limit);
      return publicFacing(caller) ? found.map((r) => ({ ...r, email: maskEmail(r.email) })) : found;
    },

    'registrant.get': async ({ id }, caller) => {
      const r = await getRegistrantDetail(ctx.db, id, ctx.stationId);
      if (!r) throw new DomainError('not_found', `No registrant with id "${id}".`);
      return publicFacing(caller) ? { ...r, email: maskEmail(r.email) } : r;
    },

    'registrant.registerWalkUp': async (req, caller) => {
      const conference = await requireConference(ctx.db);
      const ticket = await getTicketType(ctx.db, req.ticketTypeId);
      if (!ticket) throw unknownTicketType(req.ticketTypeId, await listTicketTypes(ctx.db));
      // A speaker's or staff ticket is not sold over the counter without a supervisor.
      const supervisor = req.supervisor ? await checkSupervisor(ctx, req.supervisor) : null;
      if (ticket.privileged === 1 && !supervisor)
        throw new DomainError('forbidden', `${ticket.name} is a privileged ticket: a supervisor's PIN is needed.`, {
          need: 'supervisor',
        });
      const currency = (await getConference(ctx.db))?.currency ?? null;
      const charge = ticket.price !== null && ticket.price > 0 && currency ? { amount: ticket.price, currency } : null;
      requirePayment(charge, req.payment, ticket.name);
      if (!req.allowDuplicate) {
        const matches = await possibleDuplicates(ctx, req);
        if (matches.length > 0) {
          const who = matches.map((m) => `${`${m.firstName} ${m.lastName}`.trim()} (${m.confirmationCode})`).join(', ');
          throw new DomainError(
            'conflict',
            `This looks like someone already registered: ${who}. Open their registration, or register anyway if it is another person.`,
            { reason: 'possible_duplicate', matches },
          );
        }
      }
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
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        ctx.registrants.upsert(conference.id, [registrant], 'walkup', nowIso(ctx));
        emit(ctx, tx, 'RegistrantRegistered', { registrant });
        const name = `${registrant.firstName} ${registrant.lastName}`.trim();
        audit(ctx, tx, {
          actor: supervisor?.id ?? by,
          action: 'registrant.registerWalkUp',
          subject: registrant.id,
          details: {
            name,
            ticketTypeId: ticket.id,
            ...(supervisor ? { staff: by } : {}),
            summary: `registered at ${ctx.stationId} (${ticket.name}${charge ? `, ${decimal(charge.amount, charge.currency)} ${charge.currency}` : ''})`,
          },
        });
        takePayment(ctx, tx, {
          registrantId: registrant.id,
          saleId: null,
          purpose: 'ticket',
          description: ticket.name,
          charge,
          payment: req.payment,
          staffId: caller.session?.staffId ?? null,
          actor: by,
        });
      });
      // The sessions chosen at registration: each its own sale, decided by the policy like any other.
      const sales: WalkUpOutcome['sales'] = [];
      for (const sessionId of req.sessions) {
        try {
          sales.push({
            sessionId,
            outcome: await sell(ctx, { sessionId, registrantId: registrant.id, payment: req.payment }, caller, true),
            error: null,
          });
        } catch (e) {
          if (!(e instanceof DomainError)) throw e;
          sales.push({
            sessionId,
            outcome: null,
            error: { code: e.code, message: e.message } satisfies Pick<AppError, 'code' | 'message'>,
          });
        }
      }
      return { ...(await getRegistrantDetail(ctx.db, registrant.id, ctx.stationId))!, sales };
    },
  };
}

/**
 * Someone already registered who may be this walk-up: the same e-mail, or the same name folded (José Núñez = jose
 * nunez), or a name one or two letters off (Jon Smith for John Smith) — at most five.
 */
async function possibleDuplicates(
  ctx: StationContext,
  p: { firstName: string; lastName: string; email: string },
): Promise<RegistrantSummary[]> {
  const out = new Map<string, RegistrantSummary>();
  if (p.email) {
    const same = await ctx.db
      .selectFrom('registrant')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', p.email.toLowerCase()))
      .limit(5)
      .execute();
    for (const r of same) out.set(r.id, (await registrantSummary(ctx.db, r.id))!);
  }
  const wanted = foldText(`${p.firstName} ${p.lastName}`)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (wanted) {
    for (const r of await searchRegistrants(ctx.db, `${p.firstName} ${p.lastName}`, 10)) {
      const name = foldText(`${r.firstName} ${r.lastName}`)
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      const edits = distance(wanted, name).steps;
      if (edits <= (wanted.length >= 8 ? 2 : 1)) out.set(r.id, r);
    }
  }
  return [...out.values()].slice(0, 5);
}

/** A kiosk screen with nobody from staff signed in: whoever stands there may not be the person they look up. */
const publicFacing = (caller: Caller) =>
  caller.mode === 'kiosk' && caller.session === null && caller.transport !== 'internal';

/** "jose.nunez@example.com" → "j•••@example.com": enough for a person to recognise their own address. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return email ? '•••' : '';
  return `${email[0]}•••${email.slice(at)}`;
}

/**
 * Imports a conference file. A `whole file` (conference.import) is the full list of registrants: those an earlier
 * file listed and this one does not are cancelled (reported, never deleted). A snapshot chunk from HQ is `partial`.
 */
export async function importConference(
  ctx: StationContext,
  tx: Tx,
  data: ConferenceFile,
  progress: (op: string, phase: Progress['phase'], done: number, total: number) => void,
  scope: 'whole file' | 'partial' = 'partial',
): Promise<ImportReport> {
  const at = nowIso(ctx);
  const total = data.registrants.length;
  progress('conference.import', 'writing', 0, total);
  await upsertConference(tx, data.conference, at);
  await upsertTicketTypes(tx, data.conference.id, data.ticketTypes);
  await upsertSessions(tx, data.conference.id, data.sessions);
  const round = scope === 'whole file' ? await nextFileRound(tx) : null;
  const r = ctx.registrants.upsert(
    data.conference.id,
    data.registrants,
    'import',
    at,
    (phase, done, of) => progress('conference.import', phase, done, of),
    'replace',
    round,
  );
  const cancelled =
    round === null
      ? []
      : await cancelMissing(tx, round, `not in the conference file imported ${at.slice(0, 16).replace('T', ' ')} UTC`);
  for (const id of cancelled.slice(0, 1000)) {
    audit(ctx, tx, {
      actor: 'import',
      action: 'registration.cancelledByImport',
      subject: id,
      details: { summary: 'cancelled: no longer in the conference file' },
    });
  }
  // Availability is derived from the entitlements just written (until HQ sends its own numbers).
  await refreshImportedAvailability(tx);
  audit(ctx, tx, {
    actor: 'import',
    action: 'conference.import',
    subject: data.conference.id,
    details: {
      sessions: data.sessions.length,
      ticketTypes: data.ticketTypes.length,
      inserted: r.inserted,
      updated: r.updated,
      startsOn: data.conference.startsOn,
      cancelled: cancelled.length,
    },
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
    ...(round === null ? {} : { cancelled: { ids: cancelled.slice(0, REJECTED_LISTED), count: cancelled.length } }),
  };
}

/** Walk-up confirmation codes: unambiguous letters and digits, marked with the station. */
function walkUpCode(stationId: string): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 6; i++) s += alphabet[randomInt(alphabet.length)];
  return `W${stationId.slice(0, 4).toUpperCase()}-${s}`;
}
