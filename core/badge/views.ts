/** Result shapes of the printing channels of the station API (core/api.ts). */
import type { BadgeRejection } from './badge-code';

export type PrintJobStatus = 'queued' | 'sending' | 'printed' | 'failed' | 'uncertain';

export interface PrintJobView {
  id: string;
  printer: string;
  kind: 'badge' | 'test';
  registrantId: string | null;
  badgeVersion: number | null;
  status: PrintJobStatus;
  /** What happened, for staff: "printed", "paper out; nothing was sent", "the connection dropped during the job". */
  words: string | null;
  /** Why it was printed again (reprints). */
  reason: string | null;
  reprintOf: string | null;
  bytes: number;
  createdAt: string;
  sendingAt: string | null;
  finishedAt: string | null;
}

export interface BadgePreview {
  registrantId: string;
  templateId: string;
  /** The badge version a print now would carry. */
  version: number;
  code: string;
  media: string;
  /** PNG, base64. */
  png: string;
  width: number;
  height: number;
  lines: string[];
  warnings: string[];
}

export interface PrinterView {
  uri: string;
  language: string;
  media: string;
  state: string | null;
  words: string | null;
  paperLow: boolean;
  checkedAt: string | null;
  lastJobAt: string | null;
}

export interface PrintLogEntry {
  seq: number;
  at: string;
  jobId: string | null;
  printer: string;
  event: string;
  status: string | null;
  words: string | null;
  actor: string;
}

export interface BadgeVerification {
  valid: boolean;
  reason: BadgeRejection | null;
  message: string;
  conferenceId: string | null;
  registrantId: string | null;
  version: number | null;
  keyId: string | null;
  /** The station that signed it ("station:desk-a"), when known. */
  station: string | null;
  /** The registrant's name when this station knows them, for the door staff to compare. */
  name: string | null;
  /**
   * How current this door's list of revoked badges is: current while online; offline it may miss revocations
   * issued since the last word from HQ (`ageMinutes` ago), and `message` says so.
   */
  revocationList: { current: boolean; lastHqContact: string | null; ageMinutes: number | null; message: string | null };
}

export interface StationKeyView {
  keyId: string;
  publicKey: string;
}
