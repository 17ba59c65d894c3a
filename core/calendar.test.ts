// Fixed dates here are inputs to pure arithmetic: nothing compares them with the clock.
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDay, localTime, shiftConference } from './calendar';
import { ConferenceFile } from './conference';

const file = (timezone: string, sessions: [string, string][]): ConferenceFile =>
  ConferenceFile.parse({
    format: 'lanyard.conference/1',
    conference: { id: 'c', name: 'C', timezone, startsOn: '2026-12-01', endsOn: '2026-12-03' },
    ticketTypes: [{ id: 'full', name: 'Full' }],
    sessions: sessions.map(([startsAt, endsAt], i) => ({
      id: `s${i}`,
      title: `S${i}`,
      startsAt,
      endsAt,
      capacity: 10,
    })),
    registrants: [{ id: 'r1', confirmationCode: 'C1', firstName: 'A', ticketTypeId: 'full', sessions: ['s0'] }],
  });

describe('calendar', () => {
  it.each([
    ['2026-12-01', '2026-12-01', 0],
    ['2026-12-01', '2027-03-01', 90],
    ['2026-12-01', '2026-06-15', -169],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-12-01', '2030-01-01', 1127],
  ])('daysBetween(%s, %s) = %i', (a, b, n) => {
    expect(daysBetween(a, b)).toBe(n);
    expect(addDays(a, n)).toBe(b);
  });

  it.each(['2026-02-30', '2026-13-01', 'today', '', '2026-1-01'])('rejects %j as a date', (bad) => {
    expect(() => daysBetween('2026-12-01', bad)).toThrow(/not a date/);
  });

  it.each([
    ['2026-12-01T23:30:00Z', 'UTC', '2026-12-01'],
    ['2026-12-01T23:30:00Z', 'Europe/Berlin', '2026-12-02'],
    ['2026-12-01T03:00:00Z', 'America/New_York', '2026-11-30'],
    ['2026-12-01T23:30:00Z', 'Not/AZone', '2026-12-01'],
  ])('localDay(%s, %s) = %s', (iso, tz, day) => {
    expect(localDay(Date.parse(iso), tz)).toBe(day);
  });

  it('reads the offset of the very second asked for, across a daylight-saving change and back again', () => {
    // Lisbon moves its clocks from 01:00 to 02:00 at 01:00 UTC on 2026-03-29 (offsets are remembered per second).
    const change = Date.parse('2026-03-29T01:00:00Z');
    const seen = [change - 1, change - 1, change, change + 999, change - 1000, change].map((ms) =>
      localTime(ms, 'Europe/Lisbon'),
    );
    expect(seen).toEqual(['00:59', '00:59', '02:00', '02:00', '00:59', '02:00']);
    expect(localDay(Date.parse('2026-10-25T00:59:59Z'), 'Europe/Lisbon')).toBe('2026-10-25');
    expect(localTime(Date.parse('2026-10-25T00:59:59.500Z'), 'Europe/Lisbon')).toBe('01:59');
    expect(localTime(Date.parse('2026-10-25T01:00:00Z'), 'Europe/Lisbon')).toBe('01:00');
  });
});

describe('shiftConference', () => {
  it('moves every day by the same amount and keeps the sessions in order', () => {
    const f = file('UTC', [
      ['2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z'],
      ['2026-12-03T16:00:00+00:00', '2026-12-03T17:30:00+00:00'],
    ]);
    const g = shiftConference(f, '2030-01-01');
    expect(g.conference).toMatchObject({ startsOn: '2030-01-01', endsOn: '2030-01-03' });
    expect(g.sessions.map((s) => [s.startsAt, s.endsAt])).toEqual([
      ['2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z'],
      ['2030-01-03T16:00:00Z', '2030-01-03T17:30:00Z'],
    ]);
    expect(f.conference.startsOn).toBe('2026-12-01'); // the input is untouched
    expect(ConferenceFile.safeParse(g).success).toBe(true);
  });

  it('keeps the local time of day across a daylight-saving change in the conference timezone', () => {
    // 10:00 in Lisbon in December is 10:00Z; in June (WEST, UTC+1) it is 09:00Z.
    const f = file('Europe/Lisbon', [['2026-12-01T10:00:00+00:00', '2026-12-01T11:00:00+00:00']]);
    const g = shiftConference(f, '2027-06-15');
    expect(g.sessions[0]).toMatchObject({ startsAt: '2027-06-15T09:00:00Z', endsAt: '2027-06-15T10:00:00Z' });
    // and back again
    expect(shiftConference(g, '2026-12-01').sessions[0]).toMatchObject({ startsAt: '2026-12-01T10:00:00Z' });
  });

  it('moves backwards as well, and a zero shift is a copy', () => {
    const f = file('UTC', [['2026-12-02T14:00:00Z', '2026-12-02T15:00:00Z']]);
    expect(shiftConference(f, '2026-06-15').sessions[0]!.startsAt).toBe('2026-06-16T14:00:00Z');
    const same = shiftConference(f, '2026-12-01');
    expect(same).toEqual(f);
    expect(same).not.toBe(f);
  });

  it('refuses a target that is not a date', () => {
    expect(() =>
      shiftConference(file('UTC', [['2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z']]), '2026-02-30'),
    ).toThrow(/not a date/);
  });
});
