/**
 * How a person's name goes on a badge: the name they are called by, largest and on its own line, and the rest of
 * their name smaller beneath it.
 *
 * - Chinese, Japanese and Korean names (every letter in those scripts) are written family name first with no
 *   space: 김 + 지우 → 김지우, 杨 + 洋 → 杨洋. The whole name is what people are called by, so it is the big line.
 * - Other names: the preferred name (or the first name) big, the last name beneath it; a preferred name that is not
 *   the first name puts the full name beneath it, so staff can still match the badge to an ID.
 * - `nameOrder` in the registrant's data overrides the guess (a Hungarian "Nagy Péter" is `family-first`; a Korean
 *   who writes their name in Hangul but given name first is `given-first`).
 */
import { isCjk } from './scripts';

export type NameOrder = 'given-first' | 'family-first';

export interface PersonName {
  firstName: string;
  lastName: string;
  preferredName?: string | null | undefined;
  nameOrder?: NameOrder | null | undefined;
}

export interface BadgeName {
  /** The big line. */
  primary: string;
  /** The rest of the name, smaller; null when the big line already says it all. */
  secondary: string | null;
  /** The full name in the order this person writes it (for staff, search results, the door's "is this you"). */
  full: string;
  order: NameOrder;
  /** Family and given name run together without a space (CJK). */
  joined: boolean;
}

const clean = (s: string | null | undefined): string => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export function badgeName(p: PersonName): BadgeName {
  const first = clean(p.firstName);
  const last = clean(p.lastName);
  const preferred = clean(p.preferredName);
  const cjk = isCjk(first + last);
  const order: NameOrder = p.nameOrder ?? (cjk ? 'family-first' : 'given-first');
  const joined = cjk && order === 'family-first';
  const parts = order === 'family-first' ? [last, first] : [first, last];
  const full = parts.filter(Boolean).join(joined ? '' : ' ');
  if (preferred && preferred !== first && preferred !== full)
    return { primary: preferred, secondary: full || null, full, order, joined };
  if (joined || !first || !last) return { primary: full, secondary: null, full, order, joined };
  return { primary: first, secondary: order === 'family-first' ? full : last, full, order, joined };
}
