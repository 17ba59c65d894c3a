/**
 * The demo conference's own attendees, the ones the reviewers printed: imported into a station (optional
 * fields, speakers, day passes and the logo through the store), previewed as kiosks and desks would. Every name
 * draws, every badge is its template's length, speakers see their own sessions first, day passes strike the other days.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { FakeClock, conferenceDay, demoConference, must, openStation, tempDir } from '../../tests/support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let clock: FakeClock;

beforeAll(async () => {
  t = tempDir();
  // 08:00 UTC on the demo's first day (09:00 in Lisbon in winter is 09:00 UTC): nothing is over yet.
  clock = new FakeClock(`${conferenceDay()}T08:00:00Z`);
  s = await openStation(t.dir, { clock, printing: { healthPollMs: 0 } });
  must(await s.call('conference.import', { data: demoConference() }));
}, 60_000);
afterAll(async () => {
  await s?.close();
  t?.cleanup();
});

const preview = async (id: string) => must(await s.call('badge.preview', { registrantId: id }));

describe('demo badges', () => {
  it("leave off the sessions already over by the station's clock", async () => {
    const before = (await preview('r-00648')).lines.filter((l) => /^\w{3} \d\d:\d\d /.test(l));
    expect(before.length).toBeGreaterThan(0);
    // The next morning: day 1's sessions are over.
    clock.advance(24 * 3_600_000);
    try {
      const after = (await preview('r-00648')).lines.filter((l) => /^\w{3} \d\d:\d\d /.test(l));
      expect(after.length).toBeGreaterThan(0);
      expect(after[0]).not.toBe(before[0]);
      const day1 = before[0]!.slice(0, 3);
      expect(after.some((l) => l.startsWith(day1))).toBe(false);
    } finally {
      clock.advance(-24 * 3_600_000);
    }
  });

  it.each([
    'r-00027',
    'r-00092',
    'r-00052',
    'r-00506',
    'r-01166',
    'r-01520',
    'r-00097',
    'r-00828',
    'r-00969',
    'r-00814',
    'r-00648',
    'r-00802',
  ])("%s: drawn without a warning, at its template's fixed length", async (id) => {
    const pv = await preview(id);
    expect(pv.warnings).toEqual([]);
    const length = Math.round((120 * 203) / 25.4);
    expect(pv.height).toBe(pv.templateId === 'speaker' ? 2 * length : length);
  });

  it('names as people write them: CJK family name first, the preferred name largest with the full name beneath', async () => {
    expect((await preview('r-00027')).lines).toContain('김지우');
    expect((await preview('r-00092')).lines).toContain('杨洋');
    const satya = (await preview('r-00814')).lines;
    expect(satya.slice(1, 3)).toEqual(['Satya', 'Venkata Satya Subrahmanya Lakshmi']);
  });

  it("a speaker's own session comes first, and the back of the fold-over badge repeats the name", async () => {
    const lines = (await preview('r-01166')).lines;
    const first = lines.findIndex((l) => /^(Speaking|Moderating) · /.test(l));
    expect(first).toBeGreaterThan(lines.indexOf('Your sessions'));
    expect(lines.indexOf('Your sessions')).toBe(first - 1);
    expect(lines.filter((l) => l === 'Wojciech')).toHaveLength(2);
  });

  it('a day pass says DAY PASS, and the sponsor badge carries the conference logo and the sponsor', async () => {
    const day = (await preview('r-00969')).lines;
    // The demo runs three days from the fixtures' conference day: its weekdays depend on today's date.
    const weekdays = [0, 1, 2].map(
      (i) =>
        ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'][
          (new Date(`${conferenceDay()}T00:00:00Z`).getUTCDay() + i) % 7
        ]!,
    );
    expect(day.slice(day.indexOf('DAY PASS'), day.indexOf('DAY PASS') + 4)).toEqual(['DAY PASS', ...weekdays]);
    const sponsor = (await preview('r-01520')).lines;
    expect(sponsor).toEqual(
      expect.arrayContaining(['Guida', 'Mistral Observability', 'SPONSOR', 'Lanyard Demo Conf 2026']),
    );
  });
});
