/**
 * Conferences for the seed's scenario (tests and the demo). Every date is built from the instant passed in (the
 * caller's clock), so the conference is upcoming whatever the calendar says.
 */
import { readFileSync } from 'node:fs';
import { addDays, localDay, shiftConference } from '../../core/calendar';
import type { ConferenceFile } from '../../core/conference';

const HOUR = 3_600_000;

/**
 * The seed's panel discussion: 10 seats, `held` of them already taken, so the last seat is exactly 10% of the
 * room — the seed's "at least 10% of seats left" still holds when one seat is left.
 */
export function seedConference(held = 9, buyers = 12, nowMs = Date.now()): ConferenceFile {
  // Tomorrow (UTC): sessions at 09:00–12:00 are at least nine hours ahead, far from HQ's "starts soon".
  const day1 = addDays(new Date(nowMs).toISOString().slice(0, 10), 1);
  const day2 = addDays(day1, 1);
  const registrants: ConferenceFile['registrants'] = [];
  for (let i = 1; i <= held; i++)
    registrants.push({
      id: `h${i}`,
      confirmationCode: `LDC-H${i}`,
      firstName: 'Holder',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: ['panel'],
    });
  const names = [
    'Ana Silva',
    'Zoë Łukasz',
    'Søren Ødegård',
    'José Ñúñez',
    'Mei Chen',
    'Amara Okafor',
    'Lars Berg',
    'Priya Nair',
    'Tomás Ruiz',
    'Yuki Sato',
    'Omar Haddad',
    'Eva Novak',
  ];
  for (let i = 1; i <= buyers; i++) {
    const [firstName, lastName] = (names[(i - 1) % names.length] ?? 'Guest X').split(' ') as [string, string];
    registrants.push({
      id: `b${i}`,
      confirmationCode: `LDC-B${i}`,
      firstName,
      lastName,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  }
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'seed-conf', name: 'Occasionally Connected Conf', timezone: 'UTC', startsOn: day1, endsOn: day2 },
    ticketTypes: [{ id: 'full', name: 'Full pass', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'panel',
        title: 'Panel discussion: the occasionally connected client',
        room: 'Room A',
        startsAt: `${day1}T14:00:00Z`,
        endsAt: `${day1}T15:00:00Z`,
        capacity: 10,
        sellable: true,
      },
      {
        id: 'workshop',
        title: 'Workshop: event sourcing',
        room: 'Room B',
        startsAt: `${day2}T10:00:00Z`,
        endsAt: `${day2}T12:00:00Z`,
        capacity: 40,
        sellable: true,
      },
      {
        id: 'keynote',
        title: 'Keynote',
        room: 'Hall',
        startsAt: `${day1}T09:00:00Z`,
        endsAt: `${day1}T10:00:00Z`,
        capacity: 500,
        sellable: false,
      },
    ],
    registrants,
  };
}

/**
 * The committed demo conference (assets/demo-conference.json) moved so that day 1 is today at the venue, plus two
 * 10-seat panels with nine seats held each — the seed's panel (act 1 of the demo) and one where a desk keeps a seat
 * in hand (act 2) — which start on the hour one to two hours from now (they must still be ahead while the demo
 * plays, whatever the time of day).
 */
export function demoConferenceWithSeedPanel(nowMs = Date.now()): ConferenceFile {
  const committed = JSON.parse(
    readFileSync(new URL('../../assets/demo-conference.json', import.meta.url), 'utf8'),
  ) as ConferenceFile;
  const c = shiftConference(committed, localDay(nowMs, committed.conference.timezone));
  const start = Math.ceil((nowMs + HOUR) / HOUR) * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  c.sessions.push({
    id: 'seed-panel',
    title: 'Panel: the occasionally connected client',
    room: 'Room 2.1',
    startsAt: iso(start),
    endsAt: iso(start + HOUR),
    capacity: 10,
    sellable: true,
  });
  c.sessions.push({
    id: 'hand-panel',
    title: 'Panel: seats in hand',
    room: 'Room 2.2',
    startsAt: iso(start),
    endsAt: iso(start + HOUR),
    capacity: 10,
    sellable: true,
  });
  // Nine seats of each already held by registrants who bought online before the event.
  for (const r of c.registrants.slice(0, 9)) r.sessions.push('seed-panel');
  for (const r of c.registrants.slice(9, 18)) r.sessions.push('hand-panel');
  return c;
}
