/** A registrant as a search lists them (core/api.ts), and as an error names them (core/result.ts). */
import type { RegistrationStatus } from './conference';

export interface RegistrantSummary {
  id: string;
  confirmationCode: string;
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  ticketTypeId: string;
  ticketTypeName: string;
  status: RegistrationStatus;
  /** A badge printed (here or anywhere this station heard of), and whether a change since calls for a reprint. */
  printed: boolean;
  needsReprint: boolean;
  /** Checked in anywhere on this station (the entrance or a session). */
  checkedIn: boolean;
  /** How a search found them: the words typed, a near spelling, their code, or their badge's QR code. */
  match?: 'words' | 'near' | 'code' | 'badge';
}
