/** Staff, PINs and supervisor authorisation. */
import type { StaffSessionView, StaffView } from '../../../core/api';
import { DomainError } from '../../../core/result';
import { verifyAudit, type AuditChainVerification } from '../../store/audit';
import type { StaffRecord } from '../../store/schema';
import {
  clearPinFailures,
  countSupervisors,
  findStaff,
  hashPin,
  insertStaff,
  listStaff,
  pinMatches,
  recordPinFailure,
} from '../../store/staff';
import { actor, audit, inTx, integrityView, nowIso, type StationContext } from '../context';
import type { Handlers } from '../serve';

/** Wrong PINs in a row before the account locks, and for how long. */
export const MAX_PIN_ATTEMPTS = 5;
export const LOCKOUT_MS = 5 * 60_000;

const view = (s: StaffRecord): StaffView => ({ id: s.id, name: s.name, role: s.role, lockedUntil: s.locked_until });

/**
 * Checks a PIN. A wrong PIN is counted (in its own small transaction, before the command's own) and locks the
 * account after MAX_PIN_ATTEMPTS; the command itself then fails without writing anything.
 */
export async function checkPin(ctx: StationContext, staffId: string, pin: string): Promise<StaffRecord> {
  const s = await findStaff(ctx.db, staffId);
  if (!s) throw new DomainError('unauthorized', 'Unknown staff member or wrong PIN.');
  const now = ctx.clock.now();
  if (s.locked_until && Date.parse(s.locked_until) > now) {
    throw new DomainError(
      'locked_out',
      `${s.name} is locked out after ${MAX_PIN_ATTEMPTS} wrong PINs; try again after ${new Date(s.locked_until).toLocaleTimeString('en-GB')}.`,
      { until: s.locked_until },
    );
  }
  if (!(await pinMatches(pin, s.pin_hash))) {
    await inTx(ctx, async (tx) => {
      const attempts = s.failed_attempts + 1;
      const lock = attempts >= MAX_PIN_ATTEMPTS ? new Date(now + LOCKOUT_MS).toISOString() : null;
      await recordPinFailure(tx, s.id, lock);
      if (lock) audit(ctx, tx, { actor: s.id, action: 'staff.lockedOut', subject: s.id, details: { attempts } });
    });
    const left = MAX_PIN_ATTEMPTS - (s.failed_attempts + 1);
    throw left > 0
      ? new DomainError(
          'unauthorized',
          `Wrong PIN. ${left} attempt${left === 1 ? '' : 's'} left before the account locks.`,
          { attemptsLeft: left },
        )
      : new DomainError('locked_out', `Wrong PIN. ${s.name} is now locked out for ${LOCKOUT_MS / 60_000} minutes.`, {
          until: new Date(now + LOCKOUT_MS).toISOString(),
        });
  }
  if (s.failed_attempts === 0 && !s.locked_until) return s;
  await clearPinFailures(ctx.db, s.id);
  return { ...s, failed_attempts: 0, locked_until: null };
}

export async function checkSupervisor(
  ctx: StationContext,
  auth: { supervisorId: string; pin: string },
): Promise<StaffRecord> {
  const s = await checkPin(ctx, auth.supervisorId, auth.pin);
  if (s.role !== 'supervisor')
    throw new DomainError('forbidden', `${s.name} is not a supervisor; a supervisor's PIN is needed.`, {
      need: 'supervisor',
    });
  return s;
}

const sessionView = (s: StaffRecord): StaffSessionView => ({ staffId: s.id, name: s.name, role: s.role });

export function staffHandlers(
  ctx: StationContext,
): Pick<
  Handlers,
  'staff.add' | 'staff.verify' | 'staff.signIn' | 'staff.signOut' | 'staff.session' | 'staff.list' | 'audit.verify'
> {
  return {
    'staff.add': async (req, caller) => {
      const supervisors = await countSupervisors(ctx.db);
      let by = 'bootstrap';
      if (supervisors === 0) {
        if (req.role !== 'supervisor')
          throw new DomainError('conflict', 'The first staff member on a station must be a supervisor.');
      } else if (caller.session?.role === 'supervisor' && !req.by) {
        by = caller.session.staffId; // signed in with their PIN at this window
      } else {
        if (!req.by) throw new DomainError('forbidden', 'Adding staff needs a supervisor PIN.', { need: 'supervisor' });
        by = (await checkSupervisor(ctx, req.by)).id;
      }
      if (await findStaff(ctx.db, req.id)) throw new DomainError('conflict', `Staff id "${req.id}" is already taken.`);
      const pinHash = await hashPin(req.pin);
      return inTx(ctx, async (tx) => {
        await insertStaff(tx, { id: req.id, name: req.name, role: req.role, pinHash, at: nowIso(ctx) });
        audit(ctx, tx, {
          actor: by,
          action: 'staff.add',
          subject: req.id,
          details: { name: req.name, role: req.role },
        });
        return view((await findStaff(tx, req.id))!);
      });
    },
    'staff.verify': async (req) => view(await checkPin(ctx, req.staffId, req.pin)),
    // The shell keeps the session per window or connection once this succeeds (main/runtime/connection.ts).
    'staff.signIn': async (req, caller) => {
      const s = await checkPin(ctx, req.staffId, req.pin);
      await inTx(ctx, async (tx) =>
        audit(ctx, tx, {
          actor: s.id,
          action: 'staff.signIn',
          subject: s.id,
          details: { mode: caller.mode, transport: caller.transport },
        }),
      );
      return sessionView(s);
    },
    'staff.signOut': async (_req, caller) => {
      if (caller.session)
        await inTx(ctx, async (tx) =>
          audit(ctx, tx, {
            actor: actor(ctx, tx, caller),
            action: 'staff.signOut',
            subject: caller.session!.staffId,
            details: { mode: caller.mode },
          }),
        );
      return null;
    },
    'staff.session': async (_req, caller) => {
      if (!caller.session) return null;
      const s = await findStaff(ctx.db, caller.session.staffId);
      return s ? sessionView(s) : null;
    },
    'staff.list': async () => (await listStaff(ctx.db)).map(view),
    'audit.verify': async () => {
      // The chain proves nobody rewrote the log through SQL; the integrity check proves the file under it is sound.
      const verdict = ctx.integrity.checkNow();
      let chain: AuditChainVerification;
      try {
        chain = await verifyAudit(ctx.db);
      } catch (e) {
        if (verdict.ok) throw e;
        chain = { ok: false, rows: 0, problem: 'the audit log cannot be read', firstBadSeq: null };
      }
      const problem =
        chain.problem ??
        (verdict.ok ? null : `the database failed its integrity check (${verdict.problems[0] ?? 'unknown'})`);
      return { ...chain, ok: chain.ok && verdict.ok, problem, integrity: integrityView(ctx) };
    },
  };
}
