/**
 * The messages between a shell (Electron's main process, the browser mode's server) and the station it hosts in a
 * process of its own. Everything is plain data — the contract is already serialisable — so the same host runs
 * under Electron's utilityProcess and Node's child_process.fork.
 */
import type { Caller } from '../../core/access';
import type { StationSettings } from '../../core/api';
import type { StationEvent } from '../../core/events';
import type { Result } from '../../core/result';
import type { SendResult } from '../printing/transport';
import type { RestoreReport } from '../station/backups';
import type { RuntimeConfig } from './config';

/** Shell → station. */
export type ToHost =
  | { t: 'start'; config: RuntimeConfig; healthPollMs?: number }
  /** Instead of starting: restore the station's database from a backup file, answer, and exit. */
  | { t: 'restore'; config: RuntimeConfig; from: string; at: string }
  | { t: 'call'; id: number; caller: Caller; channel: unknown; request: unknown }
  | { t: 'osOnline'; online: boolean }
  /** The answer to a `print` request (operating-system printers live in the shell). */
  | { t: 'printed'; id: number; result: SendResult }
  | { t: 'stop' };

/** Station → shell. */
export type FromHost =
  | { t: 'ready'; settings: StationSettings }
  | { t: 'failed'; message: string }
  | { t: 'restored'; result: Result<RestoreReport> }
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; event: StationEvent }
  | { t: 'log'; line: string }
  /** Print this picture on an operating-system printer (only a shell with a print system can). */
  | { t: 'print'; id: number; printer: string; png: Uint8Array; widthDots: number; dpi: number }
  | { t: 'stopped' };

/** One end of the pipe, whatever carries it. */
export interface Port<Out, In> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}
