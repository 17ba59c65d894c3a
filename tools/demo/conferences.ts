/** Conferences for the seed's scenario (tests and the demo). */
import { readFileSync } from 'node:fs';
import type { ConferenceFile } from '../../core/conference';

/**
 * The seed's panel discussion: 10 seats, `held` of them already taken, so the last seat is exactly 10% of the
 * room — the seed's "at least 10% of seats left" still holds when one seat is left.
 */
export function seedConference(held = 9, buyers = 12): ConferenceFile {
  const registrants: ConferenceFile['registrants'] = [];
  for (let i = 1; i <= held; i++) registrants.push({ id: `h${i}`, confirmationCode: `LDC-H${i}`, firstName: 'Holder', lastName: `${i}`, email: '', company: '', ticketTypeId: 'full', sessions: ['panel'] });
  const names = ['Ana Silva', 'Zoë Łukasz', 'Søren Ødegård', 'José Ñúñez', 'Mei Chen', 'Amara Okafor', 'Lars Berg', 'Priya Nair', 'Tomás Ruiz', 'Yuki Sato', 'Omar Haddad', 'Eva Novak'];
  for (let i = 1; i <= buyers; i++) {
    const [firstName, lastName] = (names[(i - 1) % names.length] ?? 'Guest X').split(' ') as [string, string];
    registrants.push({ id: `b${i}`, confirmationCode: `LDC-B${i}`, firstName, lastName, email: '', company: '', ticketTypeId: 'full', sessions: [] });
  }
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'seed-conf', name: 'Occasionally Connected Conf', timezone: 'UTC', startsOn: '2026-12-01', endsOn: '2026-12-02' },
    ticketTypes: [{ id: 'full', name: 'Full pass', badgeTemplate: 'standard' }],
    sessions: [
      { id: 'panel', title: 'Panel discussion: the occasionally connected client', room: 'Room A', startsAt: '2026-12-01T14:00:00Z', endsAt: '2026-12-01T15:00:00Z', capacity: 10, sellable: true },
      { id: 'workshop', title: 'Workshop: event sourcing', room: 'Room B', startsAt: '2026-12-02T10:00:00Z', endsAt: '2026-12-02T12:00:00Z', capacity: 40, sellable: true },
      { id: 'keynote', title: 'Keynote', room: 'Hall', startsAt: '2026-12-01T09:00:00Z', endsAt: '2026-12-01T10:00:00Z', capacity: 500, sellable: false },
    ],
    registrants,
  };
}

/** The committed demo conference (assets/demo-conference.json) plus the seed's 10-seat panel. */
export function demoConferenceWithSeedPanel(): ConferenceFile {
  const c = JSON.parse(readFileSync(new URL('../../assets/demo-conference.json', import.meta.url), 'utf8')) as ConferenceFile;
  c.sessions.push({ id: 'seed-panel', title: 'Panel: the occasionally connected client', room: 'Room 2.1', startsAt: '2026-12-01T16:00:00Z', endsAt: '2026-12-01T17:00:00Z', capacity: 10, sellable: true });
  // Nine seats already held by registrants who bought online before the event.
  for (const r of c.registrants.slice(0, 9)) r.sessions.push('seed-panel');
  return c;
}
