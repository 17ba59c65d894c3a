/**
 * Printer state in words. ESC/POS real-time status: `DLE EOT n` (0x10 0x04 n) answers one byte at once, even
 * mid-job. Lanyard asks n = 1 (printer), 2 (offline cause) and 4 (paper sensor) before and after every job.
 */

export type PrinterState =
  'ready' | 'paper_out' | 'cover_open' | 'offline' | 'error' | 'unreachable' | 'not_responding' | 'unknown';

export interface PrinterStatus {
  state: PrinterState;
  /** For staff: "paper out", "cover open", "offline", "unreachable", ... */
  words: string;
  paperLow: boolean;
}

export const DLE_EOT_QUERY = Buffer.from([0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x04]);
export const STATUS_ANSWER_BYTES = 3;

export const stateWords: Record<PrinterState, string> = {
  ready: 'ready',
  paper_out: 'paper out',
  cover_open: 'cover open',
  offline: 'offline',
  error: 'printer error (cutter jam or mechanical fault)',
  unreachable: 'unreachable',
  not_responding: 'not responding (no status answer)',
  unknown: 'status not reported by this printer',
};

export const status = (state: PrinterState, detail?: string, paperLow = false): PrinterStatus => ({
  state,
  words: detail ? `${stateWords[state]}: ${detail}` : stateWords[state],
  paperLow,
});

/** Every status byte has bits 1 and 4 set and bits 0 and 7 clear. */
const wellFormed = (b: number) => (b & 0x93) === 0x12;

/** Decodes the three answers to DLE_EOT_QUERY. */
export function decodeDleEot(answer: Uint8Array): PrinterStatus {
  const [printer, cause, paper] = [answer[0], answer[1], answer[2]];
  if (printer === undefined || cause === undefined || paper === undefined || ![printer, cause, paper].every(wellFormed))
    return status('not_responding', 'the answer was not an ESC/POS status');
  const paperLow = (paper & 0x0c) !== 0;
  if ((paper & 0x60) !== 0 || (cause & 0x20) !== 0) return status('paper_out', undefined, paperLow);
  if ((cause & 0x04) !== 0) return status('cover_open', undefined, paperLow);
  if ((cause & 0x40) !== 0) return status('error', undefined, paperLow);
  if ((printer & 0x08) !== 0) return status('offline', undefined, paperLow);
  return { state: 'ready', words: paperLow ? 'ready (paper low)' : 'ready', paperLow };
}

/** Status bytes a printer in `state` answers (used by the virtual printer and tests). */
export function encodeDleEot(
  n: number,
  s: { paperOut: boolean; coverOpen: boolean; offline: boolean; error: boolean; paperLow: boolean },
): number {
  switch (n) {
    case 1:
      return 0x12 | (s.offline || s.paperOut || s.coverOpen || s.error ? 0x08 : 0);
    case 2:
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0);
    case 3:
      return 0x12 | (s.error ? 0x40 : 0);
    case 4:
      return 0x12 | (s.paperLow ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    default:
      return 0x12;
  }
}
