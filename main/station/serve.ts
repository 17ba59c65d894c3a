/**
 * The station API boundary: channel check, then the caller's right to call it (mode and staff role, core/access.ts),
 * then payload validation, then the handler. Handlers receive typed, validated values and the caller only;
 * whatever they throw comes back as an error value, never as an exception.
 */
import type { z } from 'zod';
import type { Channel, ParsedRequestOf, ResultOf, StationBoundary } from '../../core/api';
import { contract, isChannel } from '../../core/api';
import { accessDenied, type Caller } from '../../core/access';
import { describeIssues } from '../../core/conference';
import { DomainError, err, ok, type AppError, type Result } from '../../core/result';

export type Handlers = { [C in Channel]: (request: ParsedRequestOf<C>, caller: Caller) => Promise<ResultOf<C>> };

/**
 * `translate` turns a failure that is not the request's fault but has a name (the database busy or damaged) into
 * its typed error; anything else is `internal`.
 */
export function serve(
  handlers: Handlers,
  onInternalError: (channel: string, e: unknown) => void = () => {},
  translate: (e: unknown) => AppError | null = () => null,
): StationBoundary {
  async function callUnknown(caller: Caller, channel: unknown, request: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) return err('invalid_input', `Unknown command "${String(channel).slice(0, 80)}".`);
    const denied = accessDenied(caller, contract[channel].access, channel);
    if (denied)
      return denied.code === 'forbidden'
        ? err('forbidden', denied.message, { need: denied.need === 'sign_in' ? 'staff' : denied.need })
        : err('unauthorized', denied.message, { need: 'sign_in' });
    const parsed = (contract[channel].request as z.ZodType).safeParse(request);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 20)
        .map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      return err('invalid_input', `Invalid ${channel} request: ${describeIssues(parsed.error)}`, { issues });
    }
    try {
      const handler = handlers[channel] as (r: unknown, c: Caller) => Promise<unknown>;
      return ok(await handler(parsed.data, caller));
    } catch (e) {
      if (e instanceof DomainError) return err(e.code, e.message, e.details);
      const known = translate(e);
      if (known) return err(known.code, known.message, known.details);
      onInternalError(channel, e);
      return err(
        'internal',
        `Something went wrong while running ${channel}; nothing was saved. (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  return {
    call: ((caller: Caller, channel: Channel, request: unknown) =>
      callUnknown(caller, channel, request)) as StationBoundary['call'],
    callUnknown,
  };
}
