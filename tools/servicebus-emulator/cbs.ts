/**
 * Claims-based security ($cbs put-token). Without SAS policies in the config every token is accepted, like the
 * official emulator. With policies, a token must be a valid SAS token — `SharedAccessSignature sr=..&sig=..&se=..
 * &skn=..`, sig = base64(HMAC-SHA256(key, encodeURIComponent(sr) + "\n" + se)) — signed by a policy that is
 * defined on the namespace or on the entity, not expired; the rights it grants are checked when a link attaches
 * and for each $management operation.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatorConfig, Right, SasPolicy } from './config';

export interface Claim {
  /** Lower-cased entity path the token's `sr` covers ("" for the whole namespace). */
  scope: string;
  rights: Set<Right>;
  expiresAt: number;
  /** Policy entity path ("" for a namespace policy). */
  policyScope: string;
}

export class AuthError extends Error {}

/** Lower-cased entity path of an audience / resource URI: "sb://host:port/a/b/" → "a/b". */
export function audiencePath(uri: string): string {
  const noScheme = uri.replace(/^[a-z]+:\/\//i, '');
  const slash = noScheme.indexOf('/');
  return (slash < 0 ? '' : noScheme.slice(slash + 1)).replace(/\/+$/, '').toLowerCase();
}

/**
 * A token for an entity's `$management` node is a token for the entity: the SDK asks for the dead-letter queue's
 * management node that way (`…/$DeadLetterQueue/$management`), for other entities by the entity's own path.
 */
function entityOf(path: string): string {
  return path.replace(/\/\$management$/, '');
}

function covers(scope: string, path: string): boolean {
  return scope === '' || path === scope || path.startsWith(scope + '/');
}

export class Authenticator {
  /** Policies by the entity path they are defined on ("" = namespace). */
  private readonly policies: { scope: string; policy: SasPolicy }[] = [];

  constructor(config: EmulatorConfig) {
    for (const p of config.policies) this.policies.push({ scope: '', policy: p });
    for (const q of config.queues)
      for (const p of q.policies) this.policies.push({ scope: q.name.toLowerCase(), policy: p });
    for (const t of config.topics) {
      for (const p of t.policies) this.policies.push({ scope: t.name.toLowerCase(), policy: p });
      for (const s of t.subscriptions) {
        for (const p of s.policies)
          this.policies.push({ scope: `${t.name}/subscriptions/${s.name}`.toLowerCase(), policy: p });
      }
    }
  }

  get enabled(): boolean {
    return this.policies.length > 0;
  }

  /** Validates a put-token request; returns the claim to remember on the connection. */
  verify(token: string, audience: string, now = Date.now()): Claim {
    const all = new Set<Right>(['Send', 'Listen', 'Manage']);
    if (!this.enabled) return { scope: '', rights: all, expiresAt: Number.POSITIVE_INFINITY, policyScope: '' };
    const m = /^SharedAccessSignature\s+(.*)$/.exec(token.trim());
    if (!m) throw new AuthError('InvalidSignature: the token is not a SharedAccessSignature');
    const fields = new Map<string, string>();
    for (const part of m[1]!.split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
    }
    const sr = fields.get('sr');
    const sig = fields.get('sig');
    const se = fields.get('se');
    const skn = fields.get('skn');
    if (!sr || !sig || !se || !skn) throw new AuthError('InvalidSignature: the token must carry sr, sig, se and skn');
    const expiry = Number(se);
    if (!Number.isFinite(expiry) || expiry * 1000 <= now) throw new AuthError('ExpiredToken: the token has expired');
    const keyName = decodeURIComponent(skn);
    const resource = decodeURIComponent(sr);
    const tokenScope = entityOf(audiencePath(resource));
    const target = entityOf(audiencePath(audience));
    if (!covers(tokenScope, target))
      throw new AuthError(`InvalidAudience: the token's resource '${resource}' does not cover '${audience}'`);
    // The string-to-sign uses the URL-encoded resource exactly as it appears in the token.
    const candidates = this.policies.filter((p) => p.policy.name === keyName && covers(p.scope, target));
    if (!candidates.length)
      throw new AuthError(`Unauthorized: no shared access policy '${keyName}' applies to '${target || '/'}'`);
    const given = Buffer.from(decodeURIComponent(sig), 'base64');
    for (const c of candidates) {
      const expected = createHmac('sha256', c.policy.key).update(`${sr}\n${se}`).digest();
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        return { scope: tokenScope, rights: c.policy.rights, expiresAt: expiry * 1000, policyScope: c.scope };
      }
    }
    throw new AuthError(`InvalidSignature: the token has an invalid signature for policy '${keyName}'`);
  }
}

/** The claims one connection has established, checked at link attach and per management operation. */
export class ClaimSet {
  private readonly claims: Claim[] = [];

  constructor(private readonly auth: Authenticator) {}

  add(c: Claim): void {
    this.claims.push(c);
  }

  /** True if some valid claim covers `path` with `right` (Manage implies Send and Listen). */
  allows(path: string, right: Right, now = Date.now()): boolean {
    if (!this.auth.enabled) return true;
    const p = path.toLowerCase().replace(/\/+$/, '');
    return this.claims.some(
      (c) =>
        c.expiresAt > now &&
        covers(c.scope, p) &&
        covers(c.policyScope, p) &&
        (c.rights.has(right) || c.rights.has('Manage')),
    );
  }
}
