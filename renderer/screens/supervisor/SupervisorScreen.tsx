/**
 * The supervisor's station. Its console — resolving oversold cases, overrides, audit — is built on these same
 * pieces (issue 14); until then a supervisor works with the desk's screens, with a supervisor's rights.
 */
import { DeskScreen } from '../desk/DeskScreen';

export const SupervisorScreen = DeskScreen;
