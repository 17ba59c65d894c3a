/**
 * What a ticket and a registration allow, whatever the seats (issue 19, item 3): a day pass enters on its days only,
 * a ticket limited to tracks buys and enters those tracks' sessions only, nobody enters or buys into a session that
 * has ended, and a registration cancelled, refunded or still pending prints no badge and enters nowhere. Decided
 * offline from the station's data and clock, in the conference's timezone; each problem carries the parameters a
 * screen words in its own language (core/policy.ts FailedCondition). Pure: `now` is passed in.
 */
import { addDays, daysBetween, localDay, localTime } from './calendar';
import type { RegistrationStatus } from './conference';
import type { FailedCondition } from './policy';

export interface ConferenceCalendar {
  startsOn: string;
  endsOn: string;
  timezone: string;
}

export interface TicketRules {
  name: string;
  /** Conference days it is valid on (1 = first); null: every day. */
  days: number[] | null;
  /** Tracks whose sellable sessions it covers; null: every track. */
  tracks: string[] | null;
}

export interface SessionTimes {
  startsAt: string;
  endsAt: string;
  track: string | null;
  sellable: boolean;
}

export interface Standing {
  status: RegistrationStatus;
  note: string | null;
}

/** The conference day number (1 = first) of a venue date; 0 or less before, past the last day after. */
export const dayNumber = (c: ConferenceCalendar, date: string): number => daysBetween(c.startsOn, date) + 1;
export const dateOfDay = (c: ConferenceCalendar, day: number): string => addDays(c.startsOn, day - 1);

/** Printing a badge, selling anything or letting in: only a registration that is paid (or settled at a desk). */
export function standingProblems(s: Standing): FailedCondition[] {
  return s.status === 'paid' ? [] : [{ code: 'registration_inactive', status: s.status, note: s.note }];
}

function dayProblem(c: ConferenceCalendar, t: TicketRules, date: string): FailedCondition | null {
  if (!t.days) return null;
  const day = dayNumber(c, date);
  if (t.days.includes(day)) return null;
  return {
    code: 'ticket_not_valid_that_day',
    ticket: t.name,
    day,
    date,
    validDays: [...t.days].sort((a, b) => a - b).map((d) => ({ day: d, date: dateOfDay(c, d) })),
  };
}

function trackProblem(t: TicketRules, s: SessionTimes): FailedCondition | null {
  // Sessions every ticket includes (keynotes) are open to all tracks.
  if (!t.tracks || !s.sellable || s.track === null || t.tracks.includes(s.track)) return null;
  return { code: 'track_not_included', ticket: t.name, track: s.track, tracks: t.tracks };
}

/** The session has ended (no seat is sold into it, nobody checks in). */
export function sessionEnded(
  c: ConferenceCalendar,
  s: Pick<SessionTimes, 'endsAt'>,
  now: number,
): FailedCondition | null {
  const ends = Date.parse(s.endsAt);
  if (now < ends) return null;
  return {
    code: 'session_ended',
    endsAt: s.endsAt,
    endsLocal: localTime(ends, c.timezone),
    minutesAgo: Math.round((now - ends) / 6000) / 10,
  };
}

/** Entering the venue (no session): the registration stands and the ticket is valid today. */
export function entryProblems(
  c: ConferenceCalendar,
  t: TicketRules,
  standing: Standing,
  now: number,
): FailedCondition[] {
  const out = standingProblems(standing);
  const today = dayProblem(c, t, localDay(now, c.timezone));
  if (today) out.push(today);
  return out;
}

/** Entering a session's room: it is held today and has not ended, the ticket covers its day and track. */
export function sessionEntryProblems(
  c: ConferenceCalendar,
  t: TicketRules,
  standing: Standing,
  s: SessionTimes,
  now: number,
): FailedCondition[] {
  const out = standingProblems(standing);
  const today = localDay(now, c.timezone);
  const sessionDate = localDay(Date.parse(s.startsAt), c.timezone);
  if (sessionDate !== today)
    out.push({ code: 'session_not_today', sessionDay: dayNumber(c, sessionDate), sessionDate, today });
  const ended = sessionEnded(c, s, now);
  if (ended) out.push(ended);
  const day = dayProblem(c, t, sessionDate);
  if (day) out.push(day);
  const track = trackProblem(t, s);
  if (track) out.push(track);
  return out;
}

/** Selling a seat: the session has not ended, and the ticket covers its day and track. */
export function saleProblems(
  c: ConferenceCalendar,
  t: TicketRules,
  standing: Standing,
  s: SessionTimes,
  now: number,
): FailedCondition[] {
  const out = standingProblems(standing);
  const ended = sessionEnded(c, s, now);
  if (ended) out.push(ended);
  const day = dayProblem(c, t, localDay(Date.parse(s.startsAt), c.timezone));
  if (day) out.push(day);
  const track = trackProblem(t, s);
  if (track) out.push(track);
  return out;
}
