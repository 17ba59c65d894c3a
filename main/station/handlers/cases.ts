/**
 * Reconciliation at the station (DESIGN §8): the conference's oversell cases, a supervisor's one-action resolution,
 * waitlists. A resolution is a request: it is checked here (typed errors, nothing written but a wrong PIN's count),
 * recorded, audited and sent to HQ in one transaction; its effects are applied when HQ's decision comes back on the
 * feed (handlers/case-feed.ts), here as on every other station. Online, the call waits briefly for that answer.
 */
import { filter, type Subscription } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { CaseResolutionOutcome, OversellCase, RequestOf } from '../../../core/api';
import { resolutionProblem } from '../../../core/reconciliation';
import { DomainError } from '../../../core/result';
import { getSession } from '../../store/catalog';
import {
  badgePrintedSince,
  caseView,
  getCase,
  getRequest,
  insertRequest,
  latestRequests,
  listCaseRows,
  listWaitlist,
  pendingRequests,
  type CaseRecord,
} from '../../store/cases';
import type { Db, Tx } from '../../store/db';
import { allotmentRemaining, getAvailability, getSale, hasEntitlement } from '../../store/sales';
import type { StaffRecord } from '../../store/schema';
import { audit, emit, inTx, nowIso, policyOf, requireConference, type StationContext } from '../context';
import type { Handlers } from '../serve';
import { decide } from './sales';
import { describeFailedConditions } from '../../../core/policy';
import { checkSupervisor } from './staff';

type ResolveRequest = Omit<RequestOf<'cases.resolve'>, 'note'> & { note: string };

/**
 * The one place a case action is authorised: a supervisor's PIN today (a wrong one is counted towards the lockout).
 * A signed-in session or a shared actor check replaces this function alone.
 */
async function authoriseResolution(
  ctx: StationContext,
  auth: { supervisorId: string; pin: string },
): Promise<StaffRecord> {
  return checkSupervisor(ctx, auth);
}

export function caseHandlers(ctx: StationContext): Pick<Handlers, 'cases.list' | 'cases.resolve' | 'waitlist.list'> {
  const me = `station:${ctx.stationId}`;

  const view = async (q: Db | Tx, c: CaseRecord): Promise<OversellCase> =>
    caseView(c, (await latestRequests(q, [c.sale_id])).get(c.sale_id), me, ctx.clock.now());

  /** Throws the typed error of a resolution that does not apply to the case as this station knows it. Reads only. */
  async function checkApplies(q: Db | Tx, c: CaseRecord, req: ResolveRequest): Promise<void> {
    if (c.status === 'resolved') {
      throw new DomainError(
        'conflict',
        `This case is already resolved: ${c.resolution ?? '?'} ${c.decided_by === 'deadline' ? 'by HQ at its deadline' : `by ${c.resolved_by ?? '?'}`}.`,
      );
    }
    const [waiting] = await pendingRequests(q, c.sale_id);
    if (waiting) {
      throw new DomainError(
        'conflict',
        `A ${waiting.action} by ${waiting.supervisor_id} (${waiting.requested_at}) is waiting for HQ’s answer; HQ applies the first resolution it receives. Wait for it.`,
      );
    }
    const session = await getSession(q, c.session_id);
    const fromSellingStation = c.station === me;
    const sale = fromSellingStation ? await getSale(q, c.sale_id) : undefined;
    const target = req.moveToSessionId ? await getSession(q, req.moveToSessionId) : undefined;
    let full = false;
    if (target) {
      const a = await getAvailability(q, target.id);
      full = !a || (a.capacity - a.sold - a.allotted <= 0 && (await allotmentRemaining(q, target.id)) < 1);
    }
    const problem = resolutionProblem(req.action, {
      caseOpen: true,
      roomForExtraChair: (session?.room_for_extra_chair ?? 1) === 1,
      badgePrinted:
        req.action === 'refuse' && sale !== undefined && (await badgePrintedSince(q, c.registrant_id, sale.created_at)),
      fromSellingStation,
      moveTarget: req.moveToSessionId
        ? {
            exists: target !== undefined,
            sameSession: req.moveToSessionId === c.session_id,
            sellable: target?.sellable === 1,
            alreadyHolds: target ? await hasEntitlement(q, c.registrant_id, target.id) : false,
            full,
          }
        : null,
    });
    if (problem) throw new DomainError(problem.code, problem.message, { reason: problem.reason });
    if (req.action === 'move' && target) {
      // A move is a sale into the other session, under the same policy a desk sells by (HQ has the last word).
      const conference = await requireConference(q);
      const d = await decide(
        ctx,
        q,
        { conferenceId: conference.id, sessionId: target.id, params: policyOf(conference.policy, target.policy_json) },
        false,
        ctx.isOnline(),
      );
      if (!d.allowed)
        throw new DomainError('refused', `The move is refused: ${describeFailedConditions(d.failed)}.`, {
          failed: d.failed,
          basis: d.basis,
        });
    }
  }

  return {
    'cases.list': async ({ status }) => {
      const rows = await listCaseRows(ctx.db, status);
      const requests = await latestRequests(
        ctx.db,
        rows.map((r) => r.sale_id),
      );
      const now = ctx.clock.now();
      return rows.map((r) => caseView(r, requests.get(r.sale_id), me, now));
    },

    'cases.resolve': async (req) => {
      const c = await getCase(ctx.db, req.caseId);
      if (!c) throw new DomainError('not_found', `No oversell case with id "${req.caseId}".`);
      await checkApplies(ctx.db, c, req);
      // The PIN after the cheap checks, before the transaction: scrypt is slow and must not hold the database.
      const supervisor = await authoriseResolution(ctx, req.supervisor);
      const resolutionId = uuidv7();
      const answer = answerOf(ctx, resolutionId); // listening before anything is sent
      try {
        const online = ctx.isOnline();
        await inTx(ctx, async (tx) => {
          const fresh = (await getCase(tx, req.caseId))!;
          await checkApplies(tx, fresh, req);
          const moveTo = req.moveToSessionId ?? null;
          await insertRequest(tx, {
            id: resolutionId,
            caseId: fresh.id,
            saleId: fresh.sale_id,
            action: req.action,
            moveToSessionId: moveTo,
            supervisorId: supervisor.id,
            note: req.note,
            at: nowIso(ctx),
          });
          emit(
            ctx,
            tx,
            'OversellResolved',
            {
              caseId: fresh.id,
              saleId: fresh.sale_id,
              resolution: req.action,
              moveToSessionId: moveTo,
              note: req.note,
              resolutionId,
              supervisorId: supervisor.id,
            },
            fresh.session_id,
          );
          audit(ctx, tx, {
            actor: supervisor.id,
            action: 'case.resolve',
            subject: fresh.id,
            details: {
              saleId: fresh.sale_id,
              action: req.action,
              moveToSessionId: moveTo,
              note: req.note,
              resolutionId,
              online,
            },
          });
        });
        if (online) {
          const session = await getSession(ctx.db, c.session_id);
          const conference = await requireConference(ctx.db);
          await answer.wait(policyOf(conference.policy, session?.policy_json ?? null).verdictTimeoutMs);
        }
      } finally {
        answer.stop();
      }
      return outcomeOf(ctx, view, req.caseId, resolutionId);
    },

    'waitlist.list': async ({ sessionId }) => {
      if (!(await getSession(ctx.db, sessionId)))
        throw new DomainError('not_found', `No session with id "${sessionId}".`);
      return listWaitlist(ctx.db, sessionId);
    },
  };
}

/** Resolves when HQ's answer to the request was applied (every answer notifies with its resolution id). */
function answerOf(ctx: StationContext, resolutionId: string): { wait(ms: number): Promise<void>; stop(): void } {
  let done: () => void = () => {};
  const answered = new Promise<void>((r) => (done = r));
  const sub: Subscription = ctx.events.events$
    .pipe(filter((e) => e.type === 'notification' && e.resolutionId === resolutionId))
    .subscribe({ next: () => done(), complete: () => done() });
  let timer: NodeJS.Timeout | undefined;
  return {
    wait: (ms) =>
      Promise.race([answered, new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() =>
        clearTimeout(timer),
      ),
    stop: () => sub.unsubscribe(),
  };
}

async function outcomeOf(
  ctx: StationContext,
  view: (q: Db, c: CaseRecord) => Promise<OversellCase>,
  caseId: string,
  resolutionId: string,
): Promise<CaseResolutionOutcome> {
  const c = (await getCase(ctx.db, caseId))!;
  const req = (await getRequest(ctx.db, resolutionId))!;
  const v = await view(ctx.db, c);
  switch (req.status) {
    case 'won':
      return { outcome: 'applied', case: v, message: `HQ applied the ${req.action}; every station applies it too.` };
    case 'lost':
      return { outcome: 'lost', case: v, message: `Not applied: ${req.answer ?? 'another resolution won'}.` };
    case 'refused':
      return { outcome: 'refused', case: v, message: `HQ refused it: ${req.answer ?? ''} The case is still open.` };
    case 'pending':
      return {
        outcome: 'pending',
        case: v,
        message: ctx.isOnline()
          ? `Sent to HQ; no answer yet. The case closes on every station when HQ applies it.`
          : `This desk is offline: the ${req.action} waits in the outbox and goes to HQ when the desk reconnects. If another resolution reaches HQ first, it wins and this one is not applied.`,
      };
  }
}
