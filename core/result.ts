/**
 * Errors are values across every boundary (IPC, WebSocket, CLI): a closed set of codes the UI can explain to a
 * person, typed details per code (so a renderer words them in its own language), and an English message for the
 * command line and logs.
 */
import type { FailedCondition, SaleBasis } from './policy';
import type { ErrorCode } from './error-codes';
import type { ResolutionProblem } from './reconciliation';
import type { RegistrantSummary } from './registrant-summary';

export { errorCodes, type ErrorCode } from './error-codes';

/** Why a request conflicts with the station's state, for the ones a screen acts on. */
export type ConflictDetails =
  /** The registrant's badge was printed (here or at a station whose BadgePrinted arrived): a kiosk sends them to a desk. */
  | { reason: 'already_printed'; registrantId: string; version: number; printedAt: string; station: string }
  /** A print job may or may not have printed: staff look at the printer and confirm it. */
  | { reason: 'print_uncertain'; jobId: string }
  /** An attendee's own print that would not be a usable badge (core/badge/views.ts `blocksSelfPrint`): staff fix it. */
  | { reason: 'needs_staff'; warnings: string[] }
  /** Why a case resolution does not apply (core/reconciliation.ts). */
  | { reason: ResolutionProblem['reason'] }
  /** Restored from a backup: nothing that sends an event until HQ said where this station's stream stands. */
  | { reason: 'stream_recovery' }
  /** A walk-up that looks like someone already registered (same name and e-mail, or a similar name): say it is not them. */
  | { reason: 'possible_duplicate'; matches: RegistrantSummary[] }
  /** Something with a price needs a payment (`amount` in minor units of `currency`). */
  | { reason: 'payment_required'; amount: number; currency: string }
  | { reason: 'other' };

/** The details each code carries; `undefined` where the message says all there is. */
export interface ErrorDetails {
  invalid_input:
    | { issues: { path: string; message: string }[] }
    | { problems: string[] }
    /** A CSV import where every row was rejected: which rows, and why. */
    | { rejected: { line: number; reason: string }[]; rejectedCount: number }
    | undefined;
  not_found: { reason: ResolutionProblem['reason'] } | { ticketTypes: { id: string; name: string }[] } | undefined;
  conflict: ConflictDetails | undefined;
  /** A sale the policy refused (with its basis); a badge, check-in or sale the ticket or registration does not allow (validity only). */
  refused:
    | { failed: FailedCondition[]; basis: SaleBasis }
    | { failed: FailedCondition[]; basis?: undefined }
    | { reason: ResolutionProblem['reason'] };
  unauthorized: { need: 'sign_in' } | { attemptsLeft: number } | undefined;
  locked_out: { until: string } | undefined;
  forbidden: { need: 'supervisor' | 'staff' | 'mode' } | undefined;
  busy: undefined;
  damaged: undefined;
  internal: undefined;
}

export type AppError = { [C in ErrorCode]: { code: C; message: string; details?: ErrorDetails[C] } }[ErrorCode];

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <C extends ErrorCode>(code: C, message: string, details?: ErrorDetails[C]): Result<never> => ({
  ok: false,
  error: (details === undefined ? { code, message } : { code, message, details }) as AppError,
});

/** Thrown inside handlers; the API boundary turns it into `{ok:false}` after the transaction rolled back. */
export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: ErrorDetails[C],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
