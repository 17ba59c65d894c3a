/**
 * Lanyard owns the printer transport (DESIGN §9): node-thermal-printer resolves `execute()` before the paper moves
 * and its file interface retries in the background, so a job's outcome is decided here, with Lanyard's timeouts.
 *
 * A job is: (1) reach the printer, (2) ask its status where it can answer, (3) mark the job "sending" durably,
 * (4) write the bytes, (5) ask the status again. Anything wrong before (3) is `failed` (nothing was sent: safe to
 * print again); anything unclear after (3) is `uncertain` (staff look at the printer and confirm or reprint).
 */
import type { PrinterConfig } from '../../core/badge/printer';
import type { PrinterStatus } from './status';

export type JobOutcome = 'printed' | 'failed' | 'uncertain';

export interface SendResult {
  outcome: JobOutcome;
  /** What happened, in words for staff. */
  words: string;
  before: PrinterStatus | null;
  after: PrinterStatus | null;
}

export interface PrinterTransport {
  /** Where the bytes go, for logs ("tcp 10.0.0.5:9100", "usb /dev/usb/lp0"). */
  readonly description: string;
  /** A status check on its own (health polling, the status command). Never throws. */
  status(): Promise<PrinterStatus>;
  /**
   * Sends one job. `beginSending` runs after the pre-checks and before the first byte; when it returns false
   * nothing is sent. Never throws: every outcome is a value.
   */
  send(job: Uint8Array, beginSending: () => Promise<boolean>): Promise<SendResult>;
}

/** Chooses a printer's transport; `create-transport.ts` has the default, a shell may add its own. */
export type TransportFactory = (printer: PrinterConfig) => PrinterTransport;

/** A transport that cannot work here: every job fails before a byte is sent. */
export function unavailable(words: string): PrinterTransport {
  const s = { state: 'unreachable' as const, words, paperLow: false };
  return { description: words, status: async () => s, send: async () => failed(words, s) };
}

export const failed = (words: string, before: PrinterStatus | null = null): SendResult => ({
  outcome: 'failed',
  words,
  before,
  after: null,
});
export const uncertain = (
  words: string,
  before: PrinterStatus | null,
  after: PrinterStatus | null = null,
): SendResult => ({ outcome: 'uncertain', words, before, after });
