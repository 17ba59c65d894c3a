/** The closed set of error codes every boundary answers with (core/result.ts), each one a screen can explain. */
export const errorCodes = [
  'invalid_input', // the request does not match its schema, or a value is out of range
  'not_found', // a referenced conference, session, registrant, sale... does not exist here
  'conflict', // the request contradicts current state (already checked in, sale already released...)
  'refused', // the sale policy refused the sale; `details.failed` lists every failed condition
  'unauthorized', // wrong PIN, or nobody signed in where staff must be
  'locked_out', // too many wrong PINs; try again later
  'forbidden', // this station mode or the signed-in role may not do this
  'busy', // another program holds the station database longer than the busy timeout; nothing was written, retry
  'damaged', // the station database failed its integrity check; writes are refused until a backup is restored
  'internal', // a bug or an I/O failure; nothing was written
] as const;
export type ErrorCode = (typeof errorCodes)[number];
