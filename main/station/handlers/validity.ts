/**
 * The inputs of core/validity.ts from the station's data: the conference's calendar, the registrant's ticket rules
 * and standing (read by main/store/registrations.ts), a session's times. The rules themselves are pure (core).
 */
import { describeFailedConditions, type FailedCondition } from '../../../core/policy';
import { DomainError } from '../../../core/result';
export { registrationRules, sessionTimes, type RegistrationRules } from '../../store/registrations';

/** Refuses with every problem in words (and typed, for screens to word), before anything is written. */
export function refuseIf(problems: FailedCondition[], what: string): void {
  if (problems.length > 0)
    throw new DomainError('refused', `${what}: ${describeFailedConditions(problems)}.`, { failed: problems });
}
