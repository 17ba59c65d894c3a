/**
 * What the station's and HQ's log files may hold (issue 16): the configuration of the logs, and the last line of
 * defence that scrubs a line before it is written. Log calls pass ids, channels, types, seqs and error codes —
 * never a request, a registrant or a configuration as given — and whatever slips through (an error message quoting
 * a connection string or an email address) is scrubbed here.
 */
import { z } from 'zod';

export const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'must be one of fatal, error, warn, info, debug, trace or silent',
});
export type LogLevel = z.infer<typeof LogLevel>;

/** `log` in a station's or HQ's configuration file. */
export const LogConfig = z
  .object({
    level: LogLevel.default('info'),
    /** A file is rolled over past this size. */
    maxFileMb: z.number().min(1).max(1000).default(10),
    /** Rolled files kept besides the current one (the oldest go). */
    keepFiles: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type LogConfig = z.output<typeof LogConfig>;

/** Object keys whose values never reach a log file, whatever logs them (pino's `redact`). */
export const redactedKeys = [
  'connectionString',
  'pin',
  'pins',
  'request',
  'email',
  'firstName',
  'lastName',
  'name',
  'preferredName',
  'company',
  'registrant',
  'csv',
  'data',
];

const SECRETS: [RegExp, string][] = [
  // A Service Bus connection string's key or SAS token, wherever it appears.
  [/(SharedAccessKey|SharedAccessSignature)=[^;"'\s\\]+/gi, '$1=[redacted]'],
  [/sig=[A-Za-z0-9%+/=]+/g, 'sig=[redacted]'],
  // Email addresses (personal data).
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
];

/** The line as it may be written. */
export function scrubLogLine(line: string): string {
  let out = line;
  for (const [re, to] of SECRETS) out = out.replace(re, to);
  return out;
}

/** pino's options for a log file of this level (the callers add the timestamp: core reads no clock). */
export function loggerOptions(level: LogLevel, base: Record<string, unknown>) {
  return {
    level,
    base,
    redact: { paths: redactedKeys.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
    hooks: { streamWrite: scrubLogLine },
  };
}

/** pino-roll's options: `<file>.N.log`, rolled past `maxFileMb`, `keepFiles` kept. */
export function rollOptions(file: string, c: LogConfig) {
  return { file, extension: '.log', size: `${c.maxFileMb}m`, limit: { count: c.keepFiles }, mkdir: true };
}
