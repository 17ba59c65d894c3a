/**
 * Errors are values across every boundary (IPC, WebSocket, CLI): a closed set of codes the UI can explain to a
 * person, and a message written for that person.
 */
export const errorCodes = [
  'invalid_input', // the request does not match its schema, or a value is out of range
  'not_found', // a referenced conference, session, registrant, sale... does not exist here
  'conflict', // the request contradicts current state (already checked in, sale already released...)
  'refused', // the sale policy refused the sale; `details.failed` lists every failed condition
  'unauthorized', // wrong PIN
  'locked_out', // too many wrong PINs; try again later
  'forbidden', // the staff member's role may not do this
  'busy', // another program holds the station database longer than the busy timeout; nothing was written, retry
  'damaged', // the station database failed its integrity check; writes are refused until a backup is restored
  'internal', // a bug or an I/O failure; nothing was written
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Thrown inside handlers; the API boundary turns it into `{ok:false}` after the transaction rolled back. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
