/**
 * The station's log files: structured JSON lines (pino) in `<dataDir>/logs/station.N.log`, rolled over by size
 * and kept N deep (pino-roll, from pino's authors: an in-process stream, so no worker thread has to find its
 * module inside the packaged app's asar). What may be written is decided in core/logging.ts.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import roll from 'pino-roll';
import { loggerOptions, rollOptions, type LogConfig } from '../../core/logging';

export type { Logger } from 'pino';

export interface LogFile {
  logger: Logger;
  /** Writes out what is buffered and closes the file. */
  close(): Promise<void>;
}

export async function openLogFile(o: {
  dir: string;
  name: string;
  config: LogConfig;
  base?: Record<string, unknown>;
}): Promise<LogFile> {
  const stream = await roll(rollOptions(join(o.dir, o.name), o.config));
  // A log file that cannot be written (disk full, folder removed) must never stop the station: said once on stderr.
  stream.on('error', reportOnce(o.name));
  const logger = pino(
    { ...loggerOptions(o.config.level, o.base ?? {}), timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
  return { logger, close: once(() => closeLog(logger, stream)) };
}

/**
 * Flushes and closes, and resolves even when the file has failed (a failed stream never says 'close'): stopping
 * waits at most `ms` for its log.
 */
function closeLog(logger: Logger, stream: Awaited<ReturnType<typeof roll>>, ms = 2000): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    const done = () => (clearTimeout(timer), resolve());
    stream.once('close', done);
    stream.once('error', done);
    try {
      logger.flush(() => stream.end());
    } catch {
      done();
    }
  });
}

function reportOnce(name: string): (e: Error) => void {
  let said = false;
  return (e) => {
    if (!said)
      process.stderr.write(`lanyard: the ${name} log cannot be written (${e.message}); carrying on without it\n`);
    said = true;
  };
}

/** An error for a log line: its message and stack (scrubbed on the way out), never the objects it carries. */
export function errorFields(e: unknown): { err: { message: string; stack?: string } } {
  return {
    err: e instanceof Error ? { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } : { message: String(e) },
  };
}

/** Closing twice (a failed start that also stops) closes once. */
function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null;
  return () => (p ??= f());
}
