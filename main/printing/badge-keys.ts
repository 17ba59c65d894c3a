/**
 * Station signing keys and badge signatures (Ed25519, node:crypto). The code format is pure (core/badge/badge-code);
 * this file signs and verifies it. Public keys travel as base64url of the raw 32 bytes (JWK "x"), which fits
 * StationHello and StationKeys.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  composeBadgeCode,
  judgeClaims,
  parseBadgeCode,
  signingInput,
  type BadgeClaims,
  type BadgeVerdict,
  type RevocationView,
} from '../../core/badge/badge-code';

export interface StationKeyPair {
  keyId: string;
  /** base64url of the raw 32-byte public key. */
  publicKey: string;
  /** base64 of the PKCS#8 DER private key (stored in the station database). */
  privateKey: string;
}

export function keyIdOf(publicKeyB64url: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64url, 'base64url')).digest('hex').slice(0, 12);
}

export function generateStationKey(): StationKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return {
    keyId: keyIdOf(x),
    publicKey: x,
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  };
}

const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject | null>();

function privateKeyObject(pkcs8B64: string): KeyObject {
  let k = privateCache.get(pkcs8B64);
  if (!k)
    privateCache.set(
      pkcs8B64,
      (k = createPrivateKey({ key: Buffer.from(pkcs8B64, 'base64'), format: 'der', type: 'pkcs8' })),
    );
  return k;
}

function publicKeyObject(x: string): KeyObject | null {
  if (!publicCache.has(x)) {
    let k: KeyObject | null = null;
    try {
      if (Buffer.from(x, 'base64url').length === 32)
        k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    } catch {
      k = null;
    }
    publicCache.set(x, k);
  }
  return publicCache.get(x) ?? null;
}

/** The QR payload for a badge: the claims and their Ed25519 signature. */
export function signBadge(claims: Omit<BadgeClaims, 'keyId'>, key: StationKeyPair): string {
  const full: BadgeClaims = { ...claims, keyId: key.keyId };
  const sig = sign(null, Buffer.from(signingInput(full), 'utf8'), privateKeyObject(key.privateKey)).toString(
    'base64url',
  );
  return composeBadgeCode(full, sig);
}

export interface VerifyContext {
  /** Known public keys by key id: this station's own and those HQ distributed (StationKeys). */
  keys: ReadonlyMap<string, { publicKey: string; station: string | null }>;
  /** The conference this scanner is at; null accepts any. */
  conferenceId: string | null;
  revocations: RevocationView;
}

/** Door scanning, offline: rejects malformed, forged (unknown key or bad signature), altered, revoked and superseded codes. */
export function verifyBadge(code: string, ctx: VerifyContext): BadgeVerdict {
  const parsed = parseBadgeCode(code);
  if (!parsed.ok)
    return { valid: false, reason: 'malformed', message: `Not a valid badge code: ${parsed.reason}.`, claims: null };
  const { claims } = parsed;
  const key = ctx.keys.get(claims.keyId);
  const pub = key ? publicKeyObject(key.publicKey) : null;
  if (!key || !pub)
    return {
      valid: false,
      reason: 'unknown_key',
      message: 'This badge was signed by a station this scanner does not know.',
      claims,
    };
  const ok = verify(null, Buffer.from(parsed.signingInput, 'utf8'), pub, Buffer.from(parsed.signature, 'base64url'));
  if (!ok)
    return {
      valid: false,
      reason: 'bad_signature',
      message: 'The signature does not match: the code was forged or altered.',
      claims,
    };
  return judgeClaims(claims, ctx.conferenceId, ctx.revocations) ?? { valid: true, claims, station: key.station };
}
