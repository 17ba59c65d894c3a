import type { AppError } from '../../../core/result';

/** The station ended this screen's staff session (idle too long): back to sign-in. */
export const signedOutBy = (e: AppError | null | undefined): boolean =>
  e?.code === 'unauthorized' && e.details !== undefined && 'need' in e.details;
