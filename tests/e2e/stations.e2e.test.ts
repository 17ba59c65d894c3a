/**
 * The screens end to end: real stations started with `npm run start:web` (kiosk, desk, door), HQ and the Service
 * Bus emulator, a virtual TCP printer, net fault proxies, and the real renderer in Debian's Chromium. Each flow
 * checks accessibility with axe-core and leaves screenshots in tests/e2e/screenshots/ for a person to judge.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import type { Runtime } from '../../main/runtime/runtime';
import { cropRows, ocr, squeeze } from '../../tools/virtual-printer/ocr';
import { VirtualPrinter, type CapturedJob } from '../../tools/virtual-printer/virtual-printer';
import { waitFor } from '../support/bus';
import { conferenceDay, dayAt, must, tempDir } from '../support/fixtures';
import { headlessStation, startInstallation, type Installation } from '../support/installation';
import {
  addStaff,
  badgeVideo,
  expectAccessible,
  launchBrowser,
  openScreen,
  pageProblems,
  pngOf,
  qrOf,
  shot,
  startWeb,
  wsClient,
  type WebStation,
} from './support';

function e2eConference(): ConferenceFile {
  const day = conferenceDay();
  const at = (t: string) => dayAt(t, day);
  const filler = Array.from({ length: 24 }, (_, i) => ({
    id: `f-${String(i + 1).padStart(2, '0')}`,
    confirmationCode: `LDC-FIL${String(i + 1).padStart(3, '0')}`,
    firstName: 'Filler',
    lastName: `Person ${i + 1}`,
    email: '',
    company: 'Fill Co',
    ticketTypeId: 'full',
    // The panel is half full, the masterclass has one seat left (5% < the 10% an offline sale needs).
    sessions: [...(i < 5 ? ['panel'] : []), ...(i < 19 ? ['tight'] : [])],
  }));
  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'e2e',
      name: 'Lisbon Offline-First Summit',
      timezone: 'Europe/Lisbon',
      startsOn: day,
      endsOn: day,
    },
    ticketTypes: [
      { id: 'full', name: 'Full Pass', badgeTemplate: 'standard' },
      { id: 'speaker', name: 'Speaker', badgeTemplate: 'speaker' },
    ],
    sessions: [
      {
        id: 'keynote',
        title: 'Opening keynote',
        room: 'Main hall',
        startsAt: at('09:00'),
        endsAt: at('10:00'),
        capacity: 500,
        sellable: false,
      },
      {
        id: 'open',
        title: 'Funding open source',
        room: 'Sala Tejo',
        startsAt: at('11:00'),
        endsAt: at('12:00'),
        capacity: 100,
        sellable: true,
      },
      {
        id: 'keep',
        title: 'Workshop: accessible kiosks',
        room: 'Lab Chiado',
        startsAt: at('14:00'),
        endsAt: at('16:00'),
        capacity: 30,
        sellable: true,
      },
      {
        id: 'panel',
        title: 'Panel: offline-first in practice',
        room: 'Sala Belém',
        startsAt: at('16:00'),
        endsAt: at('17:00'),
        capacity: 10,
        sellable: true,
      },
      // The seed's 10% floor, kept for this session (the conference default has none since issue 17).
      {
        id: 'tight',
        title: 'Masterclass: badge printers',
        room: 'Sala Alfama',
        startsAt: at('17:00'),
        endsAt: at('18:00'),
        capacity: 20,
        sellable: true,
        policy: { minRemainingRatio: 0.1 },
      },
    ],
    registrants: [
      {
        id: 'r-ana',
        confirmationCode: 'LDC-ANA001',
        firstName: 'Ana',
        lastName: 'Silva',
        email: 'ana.silva@example.com',
        company: 'Azulejo Digital',
        ticketTypeId: 'full',
        sessions: [],
      },
      {
        id: 'r-jose',
        confirmationCode: 'LDC-JOS002',
        firstName: 'José',
        lastName: 'Ñúñez',
        email: 'jose@example.com',
        company: 'Acme Ibérica',
        ticketTypeId: 'full',
        sessions: [],
      },
      {
        id: 'r-mei',
        confirmationCode: 'LDC-MEI003',
        firstName: 'Mei',
        lastName: 'Chen',
        email: 'mei.chen@example.com',
        company: 'Pearl River Labs',
        ticketTypeId: 'speaker',
        sessions: ['keep'],
      },
      {
        id: 'r-zoe',
        confirmationCode: 'LDC-ZOE004',
        firstName: 'Zoë',
        lastName: 'Łukasz',
        email: 'zoe@example.com',
        company: 'Globex',
        ticketTypeId: 'full',
        sessions: [],
      },
      {
        id: 'r-sam',
        confirmationCode: 'LDC-SAM005',
        firstName: 'Samuel',
        lastName: 'Okafor',
        email: 'samuel@example.com',
        company: 'Initech',
        ticketTypeId: 'full',
        sessions: [],
      },
      ...filler,
    ],
  };
}

const fast = 'connectMs=800&statusMs=600&writeMs=3000';
let t: ReturnType<typeof tempDir>;
let inst: Installation;
let vp: VirtualPrinter;
let kiosk: WebStation;
let desk: WebStation;
let door: WebStation;
let desk2: Runtime;
let browser: Browser;
let anaCode = '';
let meiCode = '';
const pages: Page[] = [];

async function configure(
  id: string,
  mode: string,
  extra: Record<string, unknown> = {},
): Promise<{ file: string; dataDir: string }> {
  const dataDir = join(t.dir, id);
  const file = join(t.dir, `${id}.json`);
  const { sync, ...rest } = extra as { sync?: Record<string, unknown> };
  writeFileSync(
    file,
    JSON.stringify({
      stationId: id,
      mode,
      dataDir,
      conferenceFile: join(t.dir, 'conference.json'),
      sync: inst.syncFor(id, sync),
      ...rest,
    }),
  );
  return { file, dataDir };
}

/** The printer's last complete job whose QR code names this registrant (badges print as one raster). */
function printedFor(registrantId: string): CapturedJob {
  const job = vp.jobs
    .filter((j) => j.complete && j.decoded && qrOf(j.decoded.bitmap)?.data.includes(`|${registrantId}|`))
    .at(-1);
  if (!job) throw new Error(`no printed job for ${registrantId} among ${vp.jobs.length}`);
  return job;
}

/** What a person reads on the printed badge above its QR code (tesseract on the printed dots). */
async function readName(job: CapturedJob): Promise<string> {
  const bmp = job.decoded!.bitmap;
  const q = qrOf(bmp)!;
  return squeeze(await ocr(cropRows(bmp, 0, q.box.y - 10), 'eng'));
}

async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name }).click();
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  t = tempDir('lanyard-e2e-');
  const conference = e2eConference();
  writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(conference));
  inst = await startInstallation({
    dir: join(t.dir, 'hq'),
    conference,
    stations: ['kiosk-1', 'desk-1', 'door-1', 'desk-2'],
  });
  vp = new VirtualPrinter({ outDir: join(t.dir, 'printer') });
  await vp.start();

  const k = await configure('kiosk-1', 'kiosk', { printers: [vp.uri(fast)], kioskIdleSec: 12 });
  const d = await configure('desk-1', 'desk', {
    printers: [`folder:${join(t.dir, 'desk-prints')}`],
    sync: { keepSeatsInHand: 2, allotmentKeeper: { sessions: ['keep'], checkEveryMs: 300, requestTimeoutMs: 3000 } },
  });
  const g = await configure('door-1', 'door');
  await addStaff(k.dataDir, 'kiosk-1', [{ id: 'kim', name: 'Kim Kiosk', role: 'supervisor', pin: '4321' }]);
  await addStaff(d.dataDir, 'desk-1', [
    { id: 'sam', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' },
    { id: 'dee', name: 'Dee Desk', role: 'desk', pin: '1357' },
  ]);
  await addStaff(g.dataDir, 'door-1', [{ id: 'dora', name: 'Dora Door', role: 'supervisor', pin: '8642' }]);
  // The door checks people into sessions: only on the session's day (issue 19), so its clock is on the conference's
  // first morning (the conference is tomorrow by the clock this test runs under).
  [kiosk, desk, door] = await Promise.all([
    startWeb('kiosk-1', k.file, k.dataDir),
    startWeb('desk-1', d.file, d.dataDir),
    startWeb('door-1', g.file, g.dataDir, 60_000, dayAt('08:30', conferenceDay())),
  ]);

  // Another desk, headless, to sell the panel's last seats while desk-1 is cut off. It keeps no seats in hand (the
  // default keeper would hold the masterclass's last seat and one of the panel's: not the numbers these screens show).
  desk2 = await headlessStation(t.dir, 'desk-2', 'desk', inst.syncFor('desk-2', { keepSeatsInHand: 0 }));

  // Mei's badge is printed before the browser starts, through the kiosk's own socket as an attendee would:
  // a video of it is the door's camera.
  const ws = await wsClient(kiosk);
  const printed = await ws.call('badge.print', { registrantId: 'r-mei' });
  ws.close();
  expect(printed).toMatchObject({ ok: true, value: { status: 'printed' } });
  await vp.settled();
  const mei = printedFor('r-mei');
  meiCode = qrOf(mei.decoded!.bitmap)!.data;
  writeFileSync(join(t.dir, 'mei-badge.png'), pngOf(mei.decoded!.bitmap));
  badgeVideo(mei.decoded!.bitmap, join(t.dir, 'mei-badge.y4m'));
  browser = await launchBrowser(join(t.dir, 'mei-badge.y4m'));
}, 180_000);

afterEach(async (cx) => {
  // A failed flow leaves a picture of every screen as it was.
  if (cx.task.result?.state === 'fail')
    for (const [i, p] of pages.entries())
      await shot(p, `FAILED-${cx.task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([kiosk?.stop(), desk?.stop(), door?.stop()]);
  await desk2?.stop();
  await vp?.stop();
  await inst?.stop();
  t?.cleanup();
}, 60_000);

describe('kiosk', { timeout: 60_000 }, () => {
  it('an attendee finds herself, checks her badge, prints it — and the printer gets her name', async () => {
    const page = await openScreen(browser, kiosk, 'kiosk');
    pages.push(page);
    await page.getByRole('heading', { name: 'Welcome! Print your badge' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('kiosk-query');
    await expectAccessible(page, 'kiosk start');
    await shot(page, 'kiosk-1-start');
    await page.getByLabel('Your name, e-mail or confirmation code').fill('ana sil');
    await page.getByRole('button', { name: /Ana Silva/ }).click();
    await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
    await page.getByRole('img', { name: 'Badge preview for Ana Silva' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Print my badge');
    await expectAccessible(page, 'kiosk confirm');
    await shot(page, 'kiosk-2-confirm');
    await page.getByRole('button', { name: 'Print my badge' }).click();
    await page.getByRole('heading', { name: 'Take your badge from the printer' }).waitFor();
    await expectAccessible(page, 'kiosk printed');
    await shot(page, 'kiosk-3-take-your-badge');
    await vp.settled();
    const job = printedFor('r-ana');
    expect(await readName(job)).toContain('AnaSilva');
    anaCode = qrOf(job.decoded!.bitmap)!.data;
    expect(anaCode).toMatch(/^LY1\|e2e\|r-ana\|1\|/);
  });

  it('a confirmation code scanned by the wedge scanner goes straight to the person', async () => {
    const page = pages[0]!;
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Welcome! Print your badge' }).waitFor();
    await page.keyboard.type('LDC-JOS002', { delay: 4 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
    await expect(page.getByText('José Ñúñez')).toBeTruthy();
    await expect.poll(() => page.getByText('José Ñúñez').count()).toBeGreaterThan(0);
    await shot(page, 'kiosk-4-scanned-code');
    await page.getByRole('button', { name: 'Not me — go back' }).click();
  });

  it('a badge already printed is not printed again: the attendee is told when and where, in their language', async () => {
    const page = pages[0]!;
    await page.getByLabel('Your name, e-mail or confirmation code').fill('ana silva');
    await page.getByRole('button', { name: /Ana Silva/ }).click();
    await page.getByRole('heading', { name: 'Your badge has already been printed' }).waitFor();
    await expect.poll(() => page.getByText(/printed at kiosk-1 at \d\d:\d\d/).count()).toBe(1);
    await expectAccessible(page, 'kiosk already printed');
    await shot(page, 'kiosk-5-already-printed');
    await page.getByRole('button', { name: 'Português' }).click();
    await page.getByRole('heading', { name: 'O seu crachá já foi impresso' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt');
    await shot(page, 'kiosk-6-already-printed-pt');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Start over' }).click();
    const jobs = vp.jobs.filter((j) => j.decoded && qrOf(j.decoded.bitmap)?.data.includes('|r-ana|')).length;
    expect(jobs).toBe(1);
  });
});

describe('kiosk, when things go wrong', { timeout: 60_000 }, () => {
  it('a job that may or may not have printed asks staff, and is never printed again by itself', async () => {
    const page = pages[0]!;
    await page.getByLabel('Your name, e-mail or confirmation code').fill('samuel okafor');
    await page.getByRole('button', { name: /Samuel Okafor/ }).click();
    vp.set({ dropAfterBytes: 200 }); // the connection drops in the middle of the job
    const jobsBefore = vp.jobs.length;
    await page.getByRole('button', { name: 'Print my badge' }).click();
    await page.getByRole('heading', { name: 'We are not sure your badge printed' }).waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'kiosk uncertain');
    await shot(page, 'kiosk-7-uncertain');
    await page.getByRole('button', { name: 'Staff: check the printer' }).click();
    await signIn(page, 'Kim Kiosk', '4321');
    await page.getByText('Did the badge come out of the printer?').waitFor();
    await shot(page, 'kiosk-8-staff-confirm');
    await page.getByRole('button', { name: 'Yes, it printed' }).click();
    await page.getByRole('heading', { name: 'Welcome! Print your badge' }).waitFor();
    await vp.settled();
    expect(vp.jobs.length).toBe(jobsBefore + 1); // the cut-off job, and no second one
    expect(vp.jobs.at(-1)!.complete).toBe(false);
    // Confirmed printed: the kiosk now sends Samuel to the desk rather than print again.
    await page.getByLabel('Your name, e-mail or confirmation code').fill('samuel okafor');
    await page.getByRole('button', { name: /Samuel Okafor/ }).click();
    await page.getByRole('heading', { name: 'Your badge has already been printed' }).waitFor();
    await page.getByRole('button', { name: 'Start over' }).click();
  });

  it('left alone, the kiosk starts over (and warns first)', async () => {
    const page = pages[0]!;
    await page.getByLabel('Your name, e-mail or confirmation code').fill('zoe');
    await page.getByRole('button', { name: /Zoë Łukasz/ }).click();
    await page.getByRole('heading', { name: 'Is this you?' }).waitFor();
    await page.getByText('Still there? This screen starts over in a moment.').waitFor({ timeout: 10_000 });
    await shot(page, 'kiosk-9-still-there');
    await page.getByRole('heading', { name: 'Welcome! Print your badge' }).waitFor({ timeout: 15_000 });
    expect(await page.getByLabel('Your name, e-mail or confirmation code').inputValue()).toBe('');
  });
});

describe('desk', { timeout: 90_000 }, () => {
  let a: Page;
  it('staff sign in; a walk-up is registered with field checks, printed, and sold a seat online', async () => {
    a = await openScreen(browser, desk, 'desk-a');
    pages.push(a);
    await a.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    await expectAccessible(a, 'desk sign-in');
    await signIn(a, 'Dee Desk', '1357');
    await a.getByText('Signed in: Dee Desk').waitFor();
    await a.getByText('Online', { exact: true }).waitFor({ timeout: 30_000 });
    await expectAccessible(a, 'desk find');
    await shot(a, 'desk-1-find');

    await a.getByRole('button', { name: 'Walk-up' }).click();
    await a.getByLabel('E-mail (optional)').fill('not-an-email');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByText('Enter a first or last name.').first().waitFor();
    await a.getByText('Check the e-mail address (or leave it empty).').waitFor();
    await expectAccessible(a, 'desk walk-up errors');
    await shot(a, 'desk-2-walkup-errors');
    await a.getByLabel('First name').fill('Maria');
    await a.getByLabel('Last name').fill('Walkup');
    await a.getByLabel('E-mail (optional)').fill('maria@example.com');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByRole('heading', { name: 'Maria Walkup' }).waitFor();
    await a.getByRole('button', { name: 'Print badge' }).click();
    await a.getByText('Printed', { exact: true }).waitFor();

    await a.getByRole('button', { name: 'Add a session' }).click();
    await a.getByText('Adding a session for Maria Walkup').waitFor();
    await a.getByRole('button', { name: 'Choose: Funding open source' }).click();
    await a.getByText('Online: HQ decides now (a few seconds).').waitFor();
    await expectAccessible(a, 'desk sale preview');
    await shot(a, 'desk-3-preview-online');
    await a.getByRole('button', { name: 'Sell seat' }).click();
    await a.getByText('Sold: HQ confirmed the seat.').waitFor({ timeout: 15_000 });
    await shot(a, 'desk-4-sold-online');
    await a.getByRole('button', { name: 'Done' }).click();
  });

  it('with the link cut, a sale under each tier — the refusal’s reasons in words — and a supervisor override', async () => {
    await a.getByText('2 in this desk’s hands').first().waitFor({ timeout: 30_000 });
    inst.cut('desk-1');
    await a.getByText('Online', { exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await shot(a, 'desk-5-offline-sessions');
    const sell = async (session: string, expectTier: string, expectOutcome: string, shotName: string) => {
      await a.getByRole('button', { name: `Choose: ${session}` }).click();
      await a.getByText(expectTier).waitFor();
      await a.getByRole('button', { name: 'Sell seat' }).click();
      await a.getByText(expectOutcome).waitFor({ timeout: 15_000 });
      await shot(a, shotName);
      await a.getByRole('button', { name: 'Done' }).click();
    };
    await openPerson(a, 'jose', 'José Ñúñez');
    await a.getByRole('button', { name: 'Add a session' }).click();
    await sell(
      'Workshop: accessible kiosks',
      'From this desk’s seats in hand: no risk.',
      'Sold from this desk’s seats in hand.',
      'desk-6-offline-allotment',
    );
    await sell(
      'Funding open source',
      'Offline sale within the safe limit: at risk until HQ confirms.',
      'Sold offline, within the safe limit. At risk until HQ confirms.',
      'desk-7-offline-overdraft',
    );
    await a.getByRole('button', { name: 'Choose: Masterclass: badge printers' }).click();
    await a.getByText('This desk may not sell this seat now:').waitFor();
    await a.getByText('Only 1 of 20 seats (5%) were free at the last sync; offline sales need at least 10%.').waitFor();
    expect(await a.getByRole('button', { name: 'Sell seat' }).count()).toBe(0);
    await expectAccessible(a, 'desk refused');
    await shot(a, 'desk-8-offline-refused');
    await a.getByRole('button', { name: 'Supervisor override' }).click();
    await a.getByLabel('PIN').fill('2468');
    await a.getByRole('button', { name: 'Supervisor override' }).click();
    await a.getByText('Sold by supervisor override. At risk until HQ confirms.').waitFor();
    await shot(a, 'desk-9-override');
    await a.getByRole('button', { name: 'Done' }).click();
  });

  it('reconnected: one offline sale is confirmed, another turns out oversold and opens a case', async () => {
    // While desk-1 is away, desk-2 sells the panel's last five seats.
    for (const r of ['r-ana', 'r-mei', 'r-zoe', 'r-sam', 'f-20']) {
      expect(must(await desk2.station.call('sale.sell', { sessionId: 'panel', registrantId: r })).outcome).toBe(
        'confirmed',
      );
    }
    // Desk-1 still sees five seats: Maria gets one offline (at risk) — on a second screen of the desk.
    const b = await openScreen(browser, desk, 'desk-b');
    pages.push(b);
    await signIn(b, 'Sam Supervisor', '2468');
    await openPerson(b, 'maria walkup', 'Maria Walkup');
    await b.getByRole('button', { name: 'Add a session' }).click();
    await b.getByRole('button', { name: 'Choose: Panel: offline-first in practice' }).click();
    await b.getByRole('button', { name: 'Sell seat' }).click();
    await b.getByText('Sold offline, within the safe limit. At risk until HQ confirms.').waitFor();
    // ...and Zoë a seat in the open session on the first screen.
    await openPerson(a, 'zoe', 'Zoë Łukasz');
    await a.getByRole('button', { name: 'Add a session' }).click();
    await a.getByRole('button', { name: 'Choose: Funding open source' }).click();
    await a.getByRole('button', { name: 'Sell seat' }).click();
    await a.getByText('Sold offline, within the safe limit. At risk until HQ confirms.').waitFor();

    inst.heal('desk-1');
    await a.getByText('HQ confirmed the seat.', { exact: true }).waitFor({ timeout: 45_000 });
    await shot(a, 'desk-10-confirmed-after-reconnect');
    await b.getByText('HQ says the session was full: a case was opened for a supervisor.').waitFor({ timeout: 45_000 });
    await expectAccessible(b, 'desk oversold');
    await shot(b, 'desk-11-oversold-after-reconnect');
    await b.getByRole('button', { name: /^Alerts/ }).click();
    await b.getByText('Oversold sales (cases for a supervisor)').waitFor();
    await expectAccessible(b, 'desk alerts');
    await shot(b, 'desk-12-alerts');
  });

  it('a mistyped name still finds her, with her state; her name is corrected after printing (needs reprint); a look-alike walk-up is warned', async () => {
    // "walkpu": two letters swapped. The result says what the desk needs at a glance.
    await a.getByRole('button', { name: 'Find & print' }).click();
    await a.getByLabel('Name, e-mail or confirmation code').fill('walkpu');
    const result = a.getByRole('button', { name: /Maria Walkup/ }).first();
    await result.waitFor();
    expect(await result.textContent()).toContain('Badge printed');
    await result.click();
    await a.getByRole('heading', { name: 'Maria Walkup' }).waitFor();
    await a.getByRole('button', { name: 'Correct details' }).click();
    await a.getByLabel('Last name').fill('Walker-Upton');
    await a.getByLabel('Why (optional)').fill('misspelt at the desk');
    await expectAccessible(a, 'desk correction');
    await a.getByRole('button', { name: 'Save correction' }).click();
    await a.getByRole('heading', { name: 'Maria Walker-Upton' }).waitFor();
    await a.getByText('Corrected. Sent to HQ and the other stations.').waitFor();
    await a.getByText('Needs reprint').first().waitFor();
    await shot(a, 'desk-13-corrected');

    await a.getByRole('button', { name: 'Walk-up' }).click();
    await a.getByLabel('First name').fill('Maria');
    await a.getByLabel('Last name').fill('Walker-Upton');
    await a.getByLabel('E-mail (optional)').fill('maria@example.com');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByText('This may be someone already registered:').waitFor();
    await expectAccessible(a, 'desk duplicate warning');
    await shot(a, 'desk-14-duplicate');
    // Staff open the existing registration instead of making a second one.
    await a.getByRole('button', { name: 'Maria Walker-Upton' }).click();
    await a.getByRole('heading', { name: 'Maria Walker-Upton' }).waitFor();
  });
});

describe('door', { timeout: 60_000 }, () => {
  it('door staff scan badges with the wedge scanner: green with the name, red with the reason', async () => {
    // The door knows the kiosk's signing key once HQ has relayed it.
    const ws = await wsClient(door);
    expect(await ws.call('staff.signIn', { staffId: 'dora', pin: '8642' })).toMatchObject({ ok: true });
    await waitFor(
      async () => (await ws.call('badge.verify', { code: anaCode })).value?.valid === true,
      30_000,
      'the kiosk’s key at the door',
    );
    ws.close();

    const page = await openScreen(browser, door, 'door');
    pages.push(page);
    await signIn(page, 'Dora Door', '8642');
    await page.getByRole('heading', { name: 'Which door is this?' }).waitFor();
    await expectAccessible(page, 'door choose');
    await shot(page, 'door-1-choose');
    await page.getByRole('button', { name: 'Venue entrance (any valid badge)' }).click();
    await page.getByRole('heading', { name: 'Scanning: Venue entrance (any valid badge)' }).waitFor();
    await expectAccessible(page, 'door scan');
    await shot(page, 'door-2-scan');

    // The door checks badges on its own: with its link cut, it still knows a good badge from a forged one.
    inst.cut('door-1');
    await page.getByText('Online', { exact: true }).waitFor({ state: 'detached', timeout: 30_000 });
    await page.keyboard.type(anaCode, { delay: 3 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome, Ana Silva' }).waitFor();
    await expectAccessible(page, 'door valid');
    await shot(page, 'door-3-valid');
    await page.getByRole('button', { name: 'Next badge' }).click();

    // One character in the middle of the signature changed (the last one may only carry padding bits).
    const cut = anaCode.length - 20;
    const forged = anaCode.slice(0, cut) + (anaCode[cut] === 'A' ? 'B' : 'A') + anaCode.slice(cut + 1);
    await page.keyboard.type(forged, { delay: 3 });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Not admitted' }).waitFor();
    await page.getByText('Forged or damaged badge: the signature does not match.').waitFor();
    await expectAccessible(page, 'door refused');
    await shot(page, 'door-4-forged');
    await page.getByRole('button', { name: 'Next badge' }).click();
    inst.heal('door-1');

    // At a session's door, a badge without a seat for it is refused, with the reason.
    await page.getByRole('button', { name: 'Change door' }).click();
    await page.getByRole('button', { name: /Masterclass: badge printers/ }).click();
    await page.keyboard.type(anaCode, { delay: 3 });
    await page.keyboard.press('Enter');
    await page.getByText('No seat for this session on this badge. Send them to the desk.').waitFor();
    await shot(page, 'door-5-no-seat');
    await page.getByRole('button', { name: 'Next badge' }).click();
    await page.getByRole('button', { name: 'Change door' }).click();
  });

  it('and by the camera: a printed badge held up to it', async () => {
    const page = pages.at(-1)!;
    await page.getByRole('button', { name: /Workshop: accessible kiosks/ }).click();
    await page.getByText('0 in · 30 seats').waitFor();
    await page.getByRole('button', { name: 'Use the camera' }).click();
    await page.getByRole('heading', { name: 'Welcome, Mei Chen' }).waitFor({ timeout: 20_000 });
    await shot(page, 'door-6-camera');
    expect(meiCode).toMatch(/^LY1\|e2e\|r-mei\|1\|/);
    await page.getByRole('button', { name: 'Next badge' }).click();
    await page.getByText('1 in · 30 seats').waitFor();
  });
});

describe('every screen', () => {
  it('ran without a script error or a console error', () => {
    for (const p of pages) expect(pageProblems(p), 'errors in the page').toEqual([]);
  });
});

async function openPerson(page: Page, query: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Find & print' }).click();
  await page.getByLabel('Name, e-mail or confirmation code').fill(query);
  await page
    .getByRole('button', { name: new RegExp(name) })
    .first()
    .click();
  await page.getByRole('heading', { name }).waitFor();
}
