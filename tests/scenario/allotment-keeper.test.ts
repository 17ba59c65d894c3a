/**
 * The station's allotment keeper with real stations and HQ: it keeps N seats in hand per session while online, and
 * gives them back as the session nears its start.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { startWorld, until, type World } from '../../tools/demo/world';
import { must, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

function conference(soonStartsAt: string): ConferenceFile {
  const iso = (ms: number) => new Date(ms).toISOString();
  // "Next month" and the span of the conference are built from the real clock: HQ and the keeper compare them with now.
  const day = (n: number) => iso(Date.now() + n * 86_400_000).slice(0, 10);
  const later = (hhmm: string) => `${day(30)}T${hhmm}:00Z`;
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'keep-conf', name: 'Keeper Conf', timezone: 'UTC', startsOn: day(0), endsOn: day(31) },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      { id: 'soon', title: 'Starts in a few seconds', room: 'A', startsAt: soonStartsAt, endsAt: iso(Date.parse(soonStartsAt) + 3_600_000), capacity: 20, sellable: true },
      { id: 'later', title: 'Next month', room: 'B', startsAt: later('10:00'), endsAt: later('11:00'), capacity: 40, sellable: true },
      { id: 'keynote', title: 'Keynote', room: 'Hall', startsAt: later('09:00'), endsAt: later('10:00'), capacity: 400, sellable: false },
    ],
    registrants: [{ id: 'r1', confirmationCode: 'C-1', firstName: 'Ana', lastName: 'Silva', email: '', company: '', ticketTypeId: 'full', sessions: [] }],
  };
}

describe('allotment keeper', () => {
  it('keeps N seats in hand per sellable session while online and returns them as the session nears its start', async () => {
    t = tempDir('lanyard-keeper-');
    const startsAt = new Date(Date.now() + 6000).toISOString();
    world = await startWorld({
      dir: t.dir,
      conference: conference(startsAt),
      stations: [{ id: 'desk-a', keepSeatsInHand: 2, returnBeforeStartMin: 3 / 60 }, { id: 'desk-b', keepSeatsInHand: 3 }],
      hq: { allotmentShare: 0.5, recallBeforeStartMinutes: 0 },
    });
    const held = async (id: string) => Object.fromEntries(must(await world!.stations[id]!.station.call('sessions.list', {})).map((s) => [s.id, s.availability.allotmentRemaining]));
    await until(async () => (await held('desk-a')).later === 2 && (await held('desk-b')).later === 3, 10_000, 'seats in hand');
    expect(await held('desk-a')).toMatchObject({ keynote: 0 }); // not sold at desks: no seats kept
    const hq = world.hq!;
    expect((await hq.ledger.view()).sessions.find((s) => s.id === 'later')!.allotted).toBe(5);

    // Desk A held seats for "soon" too and gives them back three seconds before it starts; desk B (30 min before,
    // the default) never asked for them.
    await until(async () => (await held('desk-a')).soon === 0, 8000, 'A returned its seats for the session about to start');
    expect(Date.now()).toBeLessThan(Date.parse(startsAt));
    await until(async () => (await hq.ledger.view()).sessions.find((s) => s.id === 'soon')!.allotted === 0, 5000, 'HQ has them back');
    const v = await hq.ledger.view();
    expect(v.allotments.filter((a) => a.session_id === 'soon').map((a) => [a.station, a.status, a.seats])).toEqual([['station:desk-a', 'returned', 2]]);
    expect((await held('desk-a')).later).toBe(2);
    await until(() => world!.agree(), 5000, 'numbers agree');
  });
});
