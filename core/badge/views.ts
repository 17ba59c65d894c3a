/** Result shapes of the printing channels of the station API (core/api.ts). */
import type { BadgeRejection } from './badge-code';

/**
 * Something staff should know about a badge before or after it prints, as a code the UI can act on and words it can
 * show. `missing_glyphs` is the one a kiosk must not print through: it sends the attendee to a desk.
 */
export type BadgeWarningCode =
  /** Part of a text needs a font this station does not have (`script`, and the `fontPack` that would draw it). */
  | 'missing_glyphs'
  /** The text had to be shortened ("…") or a word split to fit. */
  | 'text_shortened'
  /** A logo is missing, unreadable or too wide, and was left out. */
  | 'logo_missing'
  /** The QR code does not fit the paper at a size phones can read. */
  | 'qr_too_small'
  /** The content does not fit the template's length: the badge came out longer (continuous stock) or is cut off (labels). */
  | 'badge_too_long';

export interface BadgeWarning {
  code: BadgeWarningCode;
  /** For staff, in words: "This name needs the CJK font pack (Han: 杨洋); it would print as boxes." */
  words: string;
  /** Which part of the badge: name, company, fields, ticket, sessions, header, logo, qr. */
  field?: string;
  /** missing_glyphs: the Unicode script ("Han", "Tamil"), the font pack that covers it (null: none known), the characters. */
  script?: string;
  fontPack?: string | null;
  chars?: string;
}

/**
 * Warnings that stop an attendee printing their own badge at a kiosk — letters that would print as boxes, a QR code
 * doors cannot read, a badge cut off — so they are sent to a desk where staff can fix it. A shortened company or a
 * missing logo still makes a usable badge. The kiosk's screen and the station's `badge.print` use this one rule.
 */
export const blocksSelfPrint = (w: BadgeWarning): boolean =>
  w.code === 'missing_glyphs' || w.code === 'qr_too_small' || w.code === 'badge_too_long';

export type PrintJobStatus = 'queued' | 'sending' | 'printed' | 'failed' | 'uncertain';

export interface PrintJobView {
  id: string;
  printer: string;
  kind: 'badge' | 'test' | 'receipt' | 'divider';
  registrantId: string | null;
  badgeVersion: number | null;
  status: PrintJobStatus;
  /** What happened, for staff: "printed", "paper out; nothing was sent", "the connection dropped during the job". */
  words: string | null;
  /** Why it was printed again (reprints). */
  reason: string | null;
  reprintOf: string | null;
  bytes: number;
  /** What the badge's layout warned about when the job was rendered (empty for test pages). */
  warnings: BadgeWarning[];
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
  /** How the printer gets it: the badge as one picture (raster, the default) or the printer's own font (text). */
  mode: 'raster' | 'text';
  /**
   * The badge as it prints, PNG, base64 (`data:image/png;base64,` + png shows it in a browser). In raster mode these
   * are the very dots the printer gets; in text mode the printer's own font draws the text, so the text is a
   * likeness.
   */
  png: string;
  width: number;
  height: number;
  /** The printer's resolution, so a screen can show the badge at its real size. */
  dpi: number;
  /** The badge's words, line by line. */
  lines: string[];
  warnings: BadgeWarning[];
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
