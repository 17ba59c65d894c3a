/**
 * The availability board's word on a session, from the sale policy's own answer (`decideSale`, the same one
 * `sale.preview` gives): online, the policy lets HQ decide — and when HQ's numbers leave no seat it could confirm and
 * this desk holds none, HQ would refuse the sale, so the board must not say "may sell" for a full or oversold session.
 */
import type { SaleDecision } from './policy';

export interface BoardSeats {
  capacity: number;
  sold: number;
  allotted: number;
  heldHere: number;
}

export type BoardVerdictState = 'may' | 'full' | 'may_not';

export function boardVerdict(d: Pick<SaleDecision, 'allowed' | 'tier'>, seats: BoardSeats): BoardVerdictState {
  if (!d.allowed) return 'may_not';
  // HQ confirms an online sale only while sold + allotted < capacity (DESIGN §7); seats in hand are always confirmed.
  if (d.tier === 'online' && seats.heldHere < 1 && seats.sold + seats.allotted >= seats.capacity) return 'full';
  return 'may';
}
