import { describe, expect, it } from 'vitest';
import { composeBadgeCode, judgeClaims, parseBadgeCode, signingInput } from './badge-code';

const sig = 'A'.repeat(86);
const claims = { conferenceId: 'ldc26', registrantId: 'r-00001', version: 2, keyId: '0123456789ab' };

describe('badge code format', () => {
  it('round-trips and is compact printable ASCII', () => {
    const code = composeBadgeCode(claims, sig);
    expect(code).toBe(`LY1|ldc26|r-00001|2|0123456789ab|${sig}`);
    expect(code).toMatch(/^[\x20-\x7e]+$/);
    expect(code.length).toBeLessThan(140);
    const p = parseBadgeCode(code);
    expect(p).toEqual({ ok: true, claims, signingInput: signingInput(claims), signature: sig });
  });

  it.each([
    ['', 'empty code'],
    ['hello', 'not a Lanyard badge code'],
    [`LY2|c|r|1|0123456789ab|${sig}`, 'unknown badge code format'],
    [`LY1|c|r|0|0123456789ab|${sig}`, 'bad badge version'],
    [`LY1|c|r|01|0123456789ab|${sig}`, 'bad badge version'],
    [`LY1|c|r|1|0123456789AB|${sig}`, 'bad key id'],
    [`LY1|c|r|1|0123456789ab|${sig.slice(1)}`, 'bad signature encoding'],
    [`LY1|c|r r|1|0123456789ab|${sig}`, 'bad registrant id'],
    [`LY1||r|1|0123456789ab|${sig}`, 'bad conference id'],
    [`LY1|c|r|1|0123456789ab|${sig}|x`, 'not a Lanyard badge code'],
    [`LY1|c|Zoë|1|0123456789ab|${sig}`, 'not printable ASCII'],
    ['x'.repeat(401), 'code too long'],
  ])('rejects %j', (code, reason) => {
    const p = parseBadgeCode(code);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toContain(reason);
  });

  it('judges conference, revocation and supersession', () => {
    const none = { isRevoked: () => false, currentVersion: () => null };
    expect(judgeClaims(claims, 'ldc26', none)).toBeNull();
    expect(judgeClaims(claims, null, none)).toBeNull();
    expect(judgeClaims(claims, 'other', none)?.reason).toBe('wrong_conference');
    expect(judgeClaims(claims, 'ldc26', { isRevoked: (_r, v) => v === 2, currentVersion: () => 2 })?.reason).toBe(
      'revoked',
    );
    expect(judgeClaims(claims, 'ldc26', { isRevoked: () => false, currentVersion: () => 3 })?.reason).toBe(
      'superseded',
    );
    expect(judgeClaims(claims, 'ldc26', { isRevoked: () => false, currentVersion: () => 2 })).toBeNull();
  });
});
