import { describe, expect, it } from 'vitest';
import { parseBadgeCode } from '../../core/badge/badge-code';
import { generateStationKey, keyIdOf, signBadge, verifyBadge, type VerifyContext } from './badge-keys';

const desk = generateStationKey();
const other = generateStationKey();
const claims = { conferenceId: 'ldc26', registrantId: 'r-00042', version: 1 };
const ctx = (over: Partial<VerifyContext> = {}): VerifyContext => ({
  keys: new Map([[desk.keyId, { publicKey: desk.publicKey, station: 'station:desk-a' }]]),
  conferenceId: 'ldc26',
  revocations: { isRevoked: () => false, currentVersion: () => null },
  ...over,
});

describe('badge signatures', () => {
  it('key ids derive from the public key; keys fit StationHello', () => {
    expect(desk.keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(keyIdOf(desk.publicKey)).toBe(desk.keyId);
    expect(desk.publicKey.length).toBeLessThanOrEqual(200);
    expect(desk.keyId).not.toBe(other.keyId);
  });

  it('a signed code verifies, names its station, and is compact ASCII', () => {
    const code = signBadge(claims, desk);
    expect(code).toMatch(/^[\x20-\x7e]{1,160}$/);
    expect(verifyBadge(code, ctx())).toEqual({
      valid: true,
      claims: { ...claims, keyId: desk.keyId },
      station: 'station:desk-a',
    });
  });

  it('rejects altered codes: every claim is covered by the signature', () => {
    const code = signBadge(claims, desk);
    const p = parseBadgeCode(code);
    if (!p.ok) throw new Error(p.reason);
    const sig = p.signature;
    for (const altered of [
      `LY1|ldc26|r-00043|1|${desk.keyId}|${sig}`,
      `LY1|ldc26|r-00042|2|${desk.keyId}|${sig}`,
      `LY1|ldc27|r-00042|1|${desk.keyId}|${sig}`,
      `LY1|ldc26|r-00042|1|${desk.keyId}|${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}`,
    ]) {
      const v = verifyBadge(altered, ctx({ conferenceId: null }));
      expect(v.valid, altered).toBe(false);
      if (!v.valid) expect(v.reason).toBe('bad_signature');
    }
  });

  it('rejects forgeries: an unknown station key, or a known key id with another key’s signature', () => {
    const forged = signBadge(claims, other);
    expect(verifyBadge(forged, ctx())).toMatchObject({ valid: false, reason: 'unknown_key' });
    const spoofed = signBadge(claims, { ...other, keyId: desk.keyId });
    expect(verifyBadge(spoofed, ctx())).toMatchObject({ valid: false, reason: 'bad_signature' });
    // A key HQ distributed for another station is trusted.
    const keys = new Map(ctx().keys);
    keys.set(other.keyId, { publicKey: other.publicKey, station: 'station:kiosk-b' });
    expect(verifyBadge(forged, ctx({ keys }))).toMatchObject({ valid: true, station: 'station:kiosk-b' });
  });

  it('rejects revoked, superseded, other-conference and malformed codes', () => {
    const code = signBadge(claims, desk);
    expect(
      verifyBadge(
        code,
        ctx({ revocations: { isRevoked: (r, v) => r === 'r-00042' && v === 1, currentVersion: () => 1 } }),
      ),
    ).toMatchObject({ valid: false, reason: 'revoked' });
    expect(verifyBadge(code, ctx({ revocations: { isRevoked: () => false, currentVersion: () => 2 } }))).toMatchObject({
      valid: false,
      reason: 'superseded',
    });
    expect(verifyBadge(code, ctx({ conferenceId: 'other' }))).toMatchObject({
      valid: false,
      reason: 'wrong_conference',
    });
    for (const junk of ['', 'https://example.com', 'LY1|a|b|c|d|e', '\u0000'.repeat(10)])
      expect(verifyBadge(junk, ctx())).toMatchObject({ valid: false, reason: 'malformed' });
    // A garbage public key in the key list is "unknown", not a crash.
    const bad = new Map([[desk.keyId, { publicKey: 'not-a-key', station: null }]]);
    expect(verifyBadge(code, ctx({ keys: bad }))).toMatchObject({ valid: false, reason: 'unknown_key' });
  });
});
