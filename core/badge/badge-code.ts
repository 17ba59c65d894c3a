/**
 * The signed badge code carried by the QR (DESIGN §9): compact printable ASCII, readable by any scanner.
 *
 *   LY1|<conferenceId>|<registrantId>|<badgeVersion>|<keyId>|<signature>
 *
 * `|` never occurs in an Id. The signature is Ed25519 over the UTF-8 bytes of everything before the last `|`
 * (the signing input), base64url without padding (86 characters). The key id is 12 lowercase hex digits, the first
 * 6 bytes of SHA-256 of the station's raw public key. Signing and verifying need node:crypto and live in
 * main/printing/badge-keys.ts; this file is the pure format.
 */
import { Id } from '../ids';

export const BADGE_CODE_PREFIX = 'LY1';
export const KEY_ID_PATTERN = /^[0-9a-f]{12}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;
export const MAX_BADGE_VERSION = 1_000_000;

export interface BadgeClaims {
  conferenceId: string;
  registrantId: string;
  version: number;
  keyId: string;
}

export function signingInput(c: BadgeClaims): string {
  return [BADGE_CODE_PREFIX, c.conferenceId, c.registrantId, String(c.version), c.keyId].join('|');
}

export function composeBadgeCode(c: BadgeClaims, signatureB64url: string): string {
  return `${signingInput(c)}|${signatureB64url}`;
}

export type ParsedBadgeCode =
  { ok: true; claims: BadgeClaims; signingInput: string; signature: string } | { ok: false; reason: string };

/** Checks the shape only; the signature is checked by verifyBadge. */
export function parseBadgeCode(code: string): ParsedBadgeCode {
  if (typeof code !== 'string' || code.length === 0) return { ok: false, reason: 'empty code' };
  if (code.length > 400) return { ok: false, reason: 'code too long' };
  if (!/^[\x20-\x7e]+$/.test(code)) return { ok: false, reason: 'not printable ASCII' };
  const parts = code.split('|');
  if (parts.length !== 6) return { ok: false, reason: 'not a Lanyard badge code' };
  const [prefix, conferenceId, registrantId, version, keyId, signature] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (prefix !== BADGE_CODE_PREFIX) return { ok: false, reason: `unknown badge code format "${prefix.slice(0, 8)}"` };
  if (!Id.safeParse(conferenceId).success) return { ok: false, reason: 'bad conference id' };
  if (!Id.safeParse(registrantId).success) return { ok: false, reason: 'bad registrant id' };
  if (!/^[1-9]\d{0,6}$/.test(version) || Number(version) > MAX_BADGE_VERSION)
    return { ok: false, reason: 'bad badge version' };
  if (!KEY_ID_PATTERN.test(keyId)) return { ok: false, reason: 'bad key id' };
  if (!SIGNATURE_PATTERN.test(signature)) return { ok: false, reason: 'bad signature encoding' };
  const claims = { conferenceId, registrantId, version: Number(version), keyId };
  return { ok: true, claims, signingInput: signingInput(claims), signature };
}

export type BadgeRejection =
  'malformed' | 'wrong_conference' | 'unknown_key' | 'bad_signature' | 'revoked' | 'superseded';

export type BadgeVerdict =
  | { valid: true; claims: BadgeClaims; station: string | null }
  | { valid: false; reason: BadgeRejection; message: string; claims: BadgeClaims | null };

/** What a door scanner knows about revocations: revoked versions, and the newest version per registrant. */
export interface RevocationView {
  isRevoked(registrantId: string, version: number): boolean;
  /** The newest badge version known for the registrant (older ones are superseded), or null. */
  currentVersion(registrantId: string): number | null;
}

/** The checks after the signature: conference, revocation, supersession (pure). */
export function judgeClaims(
  claims: BadgeClaims,
  conferenceId: string | null,
  revocations: RevocationView,
): Extract<BadgeVerdict, { valid: false }> | null {
  if (conferenceId !== null && claims.conferenceId !== conferenceId)
    return {
      valid: false,
      reason: 'wrong_conference',
      message: `This badge is for another conference ("${claims.conferenceId}").`,
      claims,
    };
  if (revocations.isRevoked(claims.registrantId, claims.version))
    return {
      valid: false,
      reason: 'revoked',
      message: `Badge version ${claims.version} of this registrant was revoked.`,
      claims,
    };
  const current = revocations.currentVersion(claims.registrantId);
  if (current !== null && claims.version < current)
    return {
      valid: false,
      reason: 'superseded',
      message: `This is badge version ${claims.version}; version ${current} replaced it.`,
      claims,
    };
  return null;
}
