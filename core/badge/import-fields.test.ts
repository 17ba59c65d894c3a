/** The import format's optional fields for badges (core/conference.ts): accepted when right, refused with a path when not. */
import { describe, expect, it } from 'vitest';
import { ConferenceFile, describeIssues } from '../conference';

// Fixed dates: a file to validate, nothing compares them with now.
const file = (over: { conference?: object; ticket?: object; registrant?: object } = {}) => ({
  format: 'lanyard.conference/1',
  conference: {
    id: 'c1',
    name: 'Conf',
    timezone: 'UTC',
    startsOn: '2026-12-01',
    endsOn: '2026-12-03',
    ...over.conference,
  },
  sessions: [
    { id: 's1', title: 'Talk', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T11:00:00Z', capacity: 10 },
  ],
  ticketTypes: [{ id: 'day-2', name: 'Day pass', ...over.ticket }],
  registrants: [
    {
      id: 'r1',
      confirmationCode: 'C-1',
      firstName: 'William',
      lastName: 'Fitzgerald',
      ticketTypeId: 'day-2',
      ...over.registrant,
    },
  ],
});

describe('optional badge fields in the import format', () => {
  it('accepts them and keeps them as given (country upper-cased)', () => {
    const parsed = ConferenceFile.parse(
      file({
        conference: { logo: 'data:image/png;base64,iVBORw0KGgo=' },
        ticket: { badgeLabel: 'DAY PASS', days: [2] },
        registrant: {
          preferredName: 'Bill',
          nameOrder: 'given-first',
          pronouns: 'he/him',
          country: 'ie',
          accessibility: 'Step-free access',
          dietary: 'Vegan',
          answers: { tshirt: 'L', 'workshop.track': 'B' },
          sessionRoles: [{ sessionId: 's1', role: 'speaker' }],
        },
      }),
    );
    expect(parsed.conference.logo).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(parsed.ticketTypes[0]).toMatchObject({ badgeLabel: 'DAY PASS', days: [2] });
    expect(parsed.registrants[0]).toMatchObject({
      preferredName: 'Bill',
      country: 'IE',
      answers: { tshirt: 'L' },
      sessionRoles: [{ sessionId: 's1', role: 'speaker' }],
    });
    // Absent fields stay absent: a file without them parses as before.
    expect(Object.keys(ConferenceFile.parse(file()).registrants[0]!).sort()).toEqual([
      'company',
      'confirmationCode',
      'email',
      'firstName',
      'id',
      'lastName',
      'sessions',
      'ticketTypeId',
    ]);
  });

  it.each([
    [{ conference: { logo: 'https://example.com/logo.png' } }, 'conference.logo'],
    [{ conference: { logo: 'data:image/gif;base64,R0lGOD' } }, 'conference.logo'],
    [{ ticket: { days: [4] } }, "ticketTypes[0].days[0]: day 4 is after the conference's last day"],
    [{ ticket: { days: [2, 2] } }, 'a day is listed twice'],
    [{ ticket: { badgeLabel: 'A very long label for a badge band' } }, 'ticketTypes[0].badgeLabel'],
    [{ registrant: { country: 'Portugal' } }, 'two-letter country code'],
    [{ registrant: { nameOrder: 'surname-first' } }, 'registrants[0].nameOrder'],
    [{ registrant: { sessionRoles: [{ sessionId: 'ghost', role: 'speaker' }] } }, 'unknown session "ghost"'],
    [{ registrant: { sessionRoles: [{ sessionId: 's1', role: 'keynoter' }] } }, 'registrants[0].sessionRoles[0].role'],
    [{ registrant: { answers: { 'shirt size?': 'L' } } }, 'registrants[0].answers'],
    [{ registrant: { pronouns: 'x'.repeat(41) } }, 'registrants[0].pronouns'],
    [{ registrant: { shoeSize: 44 } }, 'shoeSize'],
  ])('refuses %j', (over, words) => {
    const r = ConferenceFile.safeParse(file(over));
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toContain(words);
  });
});
