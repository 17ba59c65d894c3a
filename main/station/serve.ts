/**
 * The station API boundary: channel check, then payload validation, then the handler. Handlers receive typed,
 * validated values only; whatever they throw comes back as an error value, never as an exception.
 */
import type { z } from 'zod';
import type { Channel, ParsedRequestOf, ResultOf, StationApi } from '../../core/api';
import { contract, isChannel } from '../../core/api';
import { describeIssues } from '../../core/conference';
import { DomainError, err, ok, type AppError, type Result } from '../../core/result';

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResultOf<C>> };

/**
 * `translate` turns a failure that is not the request's fault but has a name (the database busy or damaged) into
 * its typed error; anything else is `internal`.
 */
export function serve(
  handlers: Handlers,
  onInternalError: (channel: string, e: unknown) => void = () => {},
  translate: (e: unknown) => AppError | null = () => null,
): StationApi & {
  callUnknown(channel: unknown, request: unknown): Promise<Result<unknown>>;
} {
  async function callUnknown(channel: unknown, request: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) return err('invalid_input', `Unknown command "${String(channel).slice(0, 80)}".`);
    const parsed = (contract[channel].request as z.ZodType).safeParse(request);
    if (!parsed.success) return err('invalid_input', `Invalid ${channel} request: ${describeIssues(parsed.error)}`);
    try {
      const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
      return ok(await handler(parsed.data));
    } catch (e) {
      if (e instanceof DomainError) return err(e.code, e.message, e.details);
      const known = translate(e);
      if (known) return err(known.code, known.message, known.details);
      onInternalError(channel, e);
      return err('internal', `Something went wrong while running ${channel}; nothing was saved. (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return {
    call: ((channel: Channel, request: unknown) => callUnknown(channel, request)) as StationApi['call'],
    callUnknown,
  };
}
