/**
 * The desk's first morning end to end (issue 19): a real desk station (`npm run start:web`) with HQ and the Service
 * Bus emulator, a virtual TCP printer, and the renderer in Debian's Chromium. Money at the desk — a walk-up paid by
 * card with the Wi-Fi down, a pending registration settled, a ticket changed for the price difference, a seat
 * swapped, a payment voided with the supervisor's PIN, the receipt printed — then the cash-up downloaded as CSV and
 * the night-before batch print run through a paper-out. axe-core on each dialog; screenshots for a person to judge.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { conferenceDay, dayAt, tempDir } from '../support/fixtures';
import { startInstallation, type Installation } from '../support/installation';
import {
  addStaff,
  expectAccessible,
  launchBrowser,
  openScreen,
  pageProblems,
  qrOf,
  shot,
  startWeb,
  wsClient,
  type WebStation,
} from './support';

function deskConference(): ConferenceFile {
  const day = conferenceDay();
  const at = (t: string) => dayAt(t, day);
  const person = (id: string, first: string, last: string, extra: Record<string, unknown> = {}) => ({
    id,
    confirmationCode: `LDC-${id.slice(2, 5).toUpperCase()}${id.length}00`,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase()}@example.com`,
    company: 'Example Lda',
    ticketTypeId: 'full',
    sessions: [] as string[],
    ...extra,
  });
  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'deskday',
      name: 'Lisbon Desk Summit',
      timezone: 'Europe/Lisbon',
      startsOn: day,
      endsOn: day,
      currency: 'EUR',
    },
    ticketTypes: [
      { id: 'full', name: 'Full Pass', badgeTemplate: 'standard', price: 25_000 },
      { id: 'day1', name: 'Day Pass', badgeTemplate: 'standard', price: 9_000, days: [1] },
      { id: 'speaker', name: 'Speaker', badgeTemplate: 'speaker', privileged: true },
    ],
    sessions: [
      {
        id: 'ws-a',
        title: 'Workshop: offline sync',
        room: 'Lab Chiado',
        startsAt: at('11:00'),
        endsAt: at('12:30'),
        capacity: 40,
        sellable: true,
        price: 3_000,
      },
      {
        id: 'ws-b',
        title: 'Workshop: thermal printers',
        room: 'Lab Alfama',
        startsAt: at('14:00'),
        endsAt: at('15:30'),
        capacity: 40,
        sellable: true,
        price: 4_500,
      },
    ],
    registrants: [
      person('r-pedro', 'Pedro', 'Pending', { status: 'pending' }),
      person('r-dina', 'Dina', 'Daypass', { ticketTypeId: 'day1' }),
      person('r-sven', 'Sven', 'Seated', { sessions: ['ws-a'] }),
      person('r-alba', 'Alba', 'Abreu'),
      person('r-bruno', 'Bruno', 'Barros'),
      person('r-carla', 'Carla', 'Costa'),
    ],
  };
}

const fast = 'connectMs=800&statusMs=600&writeMs=3000';
let t: ReturnType<typeof tempDir>;
let inst: Installation;
let vp: VirtualPrinter;
let desk: WebStation;
let browser: Browser;
let a: Page;
let ws: Awaited<ReturnType<typeof wsClient>>;

async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('button', { name }).click();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in: ${name}`).waitFor();
}

async function openPerson(page: Page, query: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Find & print' }).click();
  await page.getByLabel('Name, e-mail or confirmation code').fill(query);
  await page
    .getByRole('button', { name: new RegExp(name) })
    .first()
    .click();
  await page.getByRole('heading', { name }).waitFor();
}

/** The station's own record of a registrant (over the screen's WebSocket, as the CLI would read it). */
async function detail(id: string) {
  const r = await ws.call('registrant.get', { id });
  expect(r.ok).toBe(true);
  return r.value;
}

beforeAll(async () => {
  t = tempDir('lanyard-e2e-desk-');
  const conference = deskConference();
  writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(conference));
  inst = await startInstallation({ dir: join(t.dir, 'hq'), conference, stations: ['desk-1'] });
  vp = new VirtualPrinter({ outDir: join(t.dir, 'printer') });
  await vp.start();
  const dataDir = join(t.dir, 'desk-1');
  const file = join(t.dir, 'desk-1.json');
  writeFileSync(
    file,
    JSON.stringify({
      stationId: 'desk-1',
      mode: 'desk',
      dataDir,
      conferenceFile: join(t.dir, 'conference.json'),
      printers: [vp.uri(fast)],
      sync: inst.syncFor('desk-1', { keepSeatsInHand: 0 }),
    }),
  );
  await addStaff(dataDir, 'desk-1', [
    { id: 'sam', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' },
    { id: 'dee', name: 'Dee Desk', role: 'desk', pin: '1357' },
  ]);
  desk = await startWeb('desk-1', file, dataDir);
  ws = await wsClient(desk);
  // The test's own connection reads as a supervisor would (stock, batches are staff-only).
  expect(await ws.call('staff.signIn', { staffId: 'sam', pin: '2468' })).toMatchObject({ ok: true });
  browser = await launchBrowser();
}, 180_000);

afterEach(async (cx) => {
  if (cx.task.result?.state === 'fail' && a)
    await shot(a, `FAILED-deskday-${cx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
});

afterAll(async () => {
  ws?.close();
  await browser?.close();
  await desk?.stop();
  await vp?.stop();
  await inst?.stop();
  t?.cleanup();
}, 60_000);

describe('the desk’s day', { timeout: 90_000 }, () => {
  it('with the Wi-Fi down, a walk-up pays by card with the terminal’s reference', async () => {
    a = await openScreen(browser, desk, 'desk');
    await signIn(a, 'Dee Desk', '1357');
    await a.getByText('Online', { exact: true }).waitFor({ timeout: 30_000 });
    inst.cut('desk-1');
    await a.getByText('Online', { exact: true }).waitFor({ state: 'detached', timeout: 30_000 });

    await a.getByRole('button', { name: 'Walk-up' }).click();
    await a.getByLabel('First name').fill('Wanda');
    await a.getByLabel('Last name').fill('Walkin');
    await a.getByLabel('Ticket type').selectOption({ label: 'Full Pass' });
    await a.getByText('Price: €250.00').waitFor();
    await a.getByLabel('Card', { exact: true }).check();
    await a.getByLabel('Card terminal or invoice reference').fill('TRM-4411');
    await shot(a, 'deskday-1-walkup-card');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByRole('heading', { name: 'Wanda Walkin' }).waitFor();
    await a.getByText('Full Pass · €250.00 · Card (TRM-4411)').first().waitFor();
    await a.getByText('Paid in total: €250.00').waitFor();

    // A speaker who walks up: the station keeps that ticket for a supervisor, and the form asks for one.
    await a.getByRole('button', { name: 'Walk-up' }).click();
    await a.getByLabel('First name').fill('Sofia');
    await a.getByLabel('Last name').fill('Speaker');
    await a.getByLabel('Ticket type').selectOption({ label: 'Speaker' });
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByText('A supervisor’s PIN is needed for this.').waitFor();
    expect(await a.getByRole('button', { name: 'Register' }).isDisabled()).toBe(true);
    await a.getByLabel('Supervisor’s PIN').fill('2468');
    await shot(a, 'deskday-1b-walkup-speaker-supervisor');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByRole('heading', { name: 'Sofia Speaker' }).waitFor();

    const found = await ws.call('registrant.search', { query: 'wanda walkin', limit: 2 });
    const wanda = await detail(found.value[0].id);
    expect(wanda.payments).toMatchObject([
      { amount: 25_000, currency: 'EUR', method: 'card', reference: 'TRM-4411', status: 'paid', staffId: 'dee' },
    ]);
  });

  it('a pending registration is settled: the desk takes the ticket’s price in cash', async () => {
    await openPerson(a, 'pedro', 'Pedro Pending');
    await a.getByText('Pending: not paid').first().waitFor();
    await a.getByRole('button', { name: 'Settle pending registration' }).click();
    const dialog = a.getByRole('dialog', { name: 'Settle Pedro Pending’s pending registration' });
    await dialog.waitFor();
    await dialog.getByText('They pay for Full Pass now: €250.00').waitFor();
    await expectAccessible(a, 'settle dialog');
    await shot(a, 'deskday-2-settle');
    await dialog.getByRole('button', { name: 'Take €250.00 and mark paid' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a.getByText('Done. Sent to HQ and the other stations.').waitFor();
    expect(await a.getByText('Pending: not paid').count()).toBe(0);
    const pedro = await detail('r-pedro');
    expect(pedro.status).toBe('paid');
    expect(pedro.payments).toMatchObject([{ amount: 25_000, method: 'cash', purpose: 'balance', status: 'paid' }]);
  });

  it('a day pass becomes a full pass: the station asks for the difference, the desk takes it', async () => {
    await openPerson(a, 'dina', 'Dina Daypass');
    await a.getByRole('button', { name: 'Change ticket' }).click();
    const dialog = a.getByRole('dialog', { name: 'Change Dina Daypass’s ticket' });
    await dialog.getByText('Now: Day Pass (€90.00).').waitFor();
    await dialog.getByLabel('New ticket').selectOption({ label: 'Full Pass · €250.00' });
    await dialog.getByRole('button', { name: 'Change to Full Pass' }).click();
    // The station, not the screen, works out what is due.
    await dialog.getByText('To pay: €160.00 · paid by').waitFor();
    await dialog.getByLabel('Card', { exact: true }).check();
    await dialog.getByLabel('Card terminal or invoice reference').fill('TRM-4412');
    await expectAccessible(a, 'change ticket dialog');
    await shot(a, 'deskday-3-change-ticket');
    await dialog.getByRole('button', { name: 'Take €160.00 and change the ticket' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a.getByText('Day Pass → Full Pass · €160.00 · Card (TRM-4412)').first().waitFor();
    const dina = await detail('r-dina');
    expect(dina.ticketTypeId).toBe('full');
    expect(dina.payments).toMatchObject([{ amount: 16_000, method: 'card', purpose: 'ticket_change' }]);
  });

  it('back online, a seat is swapped for another session, the price difference paid', async () => {
    inst.heal('desk-1');
    await a.getByText('Online', { exact: true }).waitFor({ timeout: 45_000 });
    await openPerson(a, 'sven', 'Sven Seated');
    await a.getByRole('button', { name: 'Swap seat: Workshop: offline sync' }).click();
    const dialog = a.getByRole('dialog', { name: 'Swap the seat in Workshop: offline sync' });
    await dialog.getByLabel('New session').selectOption({ index: 0 });
    await dialog.getByText(/Listed price: €45\.00/).waitFor();
    await expectAccessible(a, 'swap dialog');
    await shot(a, 'deskday-4-swap-preview');
    await dialog.getByRole('button', { name: 'Swap seat' }).click();
    const pay = dialog.getByRole('button', { name: /^Take €\d+\.\d\d and swap$/ });
    await pay.waitFor();
    const due = /€(\d+\.\d\d)/.exec((await pay.textContent())!)![1]!;
    await pay.click();
    await dialog.getByText(/^Swapped: the seat in Workshop: thermal printers is theirs/).waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Done' }).click();
    const sven = await detail('r-sven');
    expect(sven.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['ws-b']);
    expect(sven.payments).toMatchObject([{ method: 'cash', status: 'paid' }]);
    expect((sven.payments[0].amount / 100).toFixed(2)).toBe(due);
  });

  it('a registration goes to a colleague (transfer); a seat is given back; the dialogs speak Portuguese too', async () => {
    await openPerson(a, 'carla', 'Carla Costa');
    await a.getByRole('button', { name: 'Transfer to someone else' }).click();
    const dialog = a.getByRole('dialog', { name: 'Transfer Carla Costa’s registration' });
    await dialog.getByText(/The new person gets the Full Pass/).waitFor();
    await dialog.getByLabel('First name').fill('Tomás');
    await dialog.getByLabel('Last name').fill('Transfer');
    await dialog.getByLabel('Reason', { exact: true }).fill('Carla is ill; her colleague comes instead');
    await expectAccessible(a, 'transfer dialog');
    await shot(a, 'deskday-4b-transfer');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a.getByRole('heading', { name: 'Tomás Transfer' }).waitFor();
    expect(await detail('r-carla')).toMatchObject({ firstName: 'Tomás', lastName: 'Transfer', id: 'r-carla' });

    await openPerson(a, 'sven', 'Sven Seated');
    await a.getByRole('button', { name: 'Release seat: Workshop: thermal printers' }).click();
    const release = a.getByRole('dialog', { name: 'Give back the seat in Workshop: thermal printers' });
    await release.getByLabel('Why is the seat released?').fill('leaves after lunch');
    await release.getByRole('button', { name: 'Release seat' }).click();
    await release.waitFor({ state: 'detached' });
    await a.getByText('No sessions beyond the ticket.').waitFor();
    expect((await detail('r-sven')).sessions).toEqual([]);

    await a.getByRole('button', { name: 'Português' }).click();
    await a.getByRole('button', { name: 'Mudar bilhete' }).click();
    const pt = a.getByRole('dialog', { name: 'Mudar o bilhete de Sven Seated' });
    await pt.getByText(/^Agora: Full Pass \(250,00\s€\)\.$/).waitFor();
    await expectAccessible(a, 'change ticket dialog, pt');
    await shot(a, 'deskday-4c-change-ticket-pt');
    await pt.getByRole('button', { name: 'Cancelar' }).click();
    await a.getByRole('button', { name: 'English' }).click();
  });

  it('a payment taken by mistake is voided only with a supervisor’s PIN; the receipt shows it and prints', async () => {
    await openPerson(a, 'wanda', 'Wanda Walkin');
    await a.getByRole('button', { name: 'Void: Full Pass' }).click();
    const dialog = a.getByRole('dialog', { name: 'Void the payment for Full Pass' });
    await dialog.getByText('€250.00 · Card (TRM-4411) is recorded as a mistake: no money changed hands.').waitFor();
    await dialog.getByLabel('Reason', { exact: true }).fill('charged twice on the terminal');
    await dialog.getByLabel('Supervisor’s PIN').fill('1111');
    await dialog.getByRole('button', { name: 'Void €250.00' }).click();
    await dialog.getByText(/^Wrong PIN\. \d tries? left\.$/).waitFor();
    const wanda = (await ws.call('registrant.search', { query: 'wanda walkin', limit: 1 })).value[0].id;
    expect((await detail(wanda)).payments[0].status).toBe('paid');
    await expectAccessible(a, 'void dialog');
    await shot(a, 'deskday-5-void-wrong-pin');
    await dialog.getByLabel('Supervisor’s PIN').fill('2468');
    await dialog.getByRole('button', { name: 'Void €250.00' }).click();
    await dialog.waitFor({ state: 'detached' });
    await a
      .getByText(/Full Pass · €250\.00 · Card \(TRM-4411\) · \d\d:\d\d · voided — charged twice/)
      .first()
      .waitFor();

    await a.getByRole('button', { name: 'Receipt' }).click();
    const receipt = a.getByRole('dialog', { name: 'Receipt for Wanda Walkin' });
    await receipt.getByRole('img').waitFor();
    expect(await receipt.getByRole('img').getAttribute('alt')).toMatch(/void/i);
    await expectAccessible(a, 'receipt dialog');
    await shot(a, 'deskday-6-receipt');
    const before = vp.jobs.length;
    await receipt.getByRole('button', { name: 'Print receipt' }).click();
    await receipt.getByText('Printed', { exact: true }).waitFor({ timeout: 20_000 });
    await vp.settled();
    expect(vp.jobs.length).toBe(before + 1);
    expect(vp.jobs.at(-1)!.complete).toBe(true);
    await receipt.getByRole('button', { name: 'Close' }).click();
  });

  it('at 18:00 the day report downloads as CSV: card and cash by staff member, the void netted out', async () => {
    await a.getByRole('button', { name: 'Cash-up & stock' }).click();
    await a.getByRole('heading', { name: 'Day report (cash-up)' }).waitFor();
    await expectAccessible(a, 'cash-up');
    const [download] = await Promise.all([
      a.waitForEvent('download'),
      a.getByRole('button', { name: 'Download day report (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^deskday-desk-1-day-\d{4}-\d\d-\d\d\.csv$/);
    const rows = parse(readFileSync((await download.path())!), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    const line = (staff: string, method: string, what: string) =>
      rows.find(
        (r) => r.Section === 'payments' && r['Staff member'] === staff && r.Method === method && r.What === what,
      );
    expect(line('Dee Desk (dee)', 'card', 'taken')).toMatchObject({ Count: '2', Amount: '410.00', Currency: 'EUR' });
    expect(line('Dee Desk (dee)', 'card', 'voided')).toMatchObject({ Count: '1', Amount: '-250.00' });
    expect(line('Dee Desk (dee)', 'card', 'net')).toMatchObject({ Amount: '160.00' });
    expect(line('Dee Desk (dee)', 'cash', 'taken')).toMatchObject({ Count: '2' });
    await a.getByText(/^Downloaded deskday-desk-1-day-.*\.csv \(\d+ rows\)\.$/).waitFor();
    await shot(a, 'deskday-7-cash-up');
  });

  it('the night before: a supervisor batch-prints every badge; paper runs out, the batch pauses, and resumes where it stopped', async () => {
    // Desk staff may not start it: the screen says who may.
    await a.getByRole('button', { name: 'Start batch print' }).click();
    await a.getByText('Batch printing is for a supervisor signed in at this desk', { exact: false }).waitFor();
    expect((await ws.call('print.batches', {})).value).toEqual([]);
    await a.getByRole('button', { name: 'Sign out' }).click();
    await signIn(a, 'Sam Supervisor', '2468');
    await a.getByRole('button', { name: 'Cash-up & stock' }).click();
    await a.getByLabel('Cards loaded now').fill('100');
    await a.getByRole('button', { name: 'Record cards loaded' }).click();
    await expect.poll(async () => (await ws.call('stock.status', {})).value?.loaded, { timeout: 10_000 }).toBe(100);

    // Paper runs out after the third slip (two dividers and a badge, or so): the next job finds the printer empty.
    let n = 0;
    const out = () => {
      if (++n === 3) vp.set({ paperOut: true });
    };
    vp.on('job', out);
    const first = vp.jobs.length;
    await a.getByRole('button', { name: 'Start batch print' }).click();
    await a.getByText('The batch paused:').waitFor({ timeout: 45_000 });
    await a.getByText(/paper/i).first().waitFor();
    await expectAccessible(a, 'batch paused');
    await shot(a, 'deskday-8-batch-paused');
    vp.off('job', out);
    vp.set({ paperOut: false });
    await a.getByRole('button', { name: 'Resume' }).click();
    await a.getByText('Finished', { exact: true }).waitFor({ timeout: 60_000 });
    await shot(a, 'deskday-9-batch-finished');
    await vp.settled();

    // Every badge not yet printed came out once, none twice.
    const batches = (await ws.call('print.batches', {})).value as { state: string; total: number; printed: number }[];
    expect(batches[0]).toMatchObject({ state: 'done' });
    expect(batches[0]!.printed).toBe(batches[0]!.total);
    const named = vp.jobs
      .slice(first)
      .filter((j) => j.complete && j.decoded)
      .map((j) => qrOf(j.decoded!.bitmap)?.data.split('|')[2])
      .filter(Boolean);
    expect(named).toHaveLength(batches[0]!.total);
    expect(new Set(named).size).toBe(named.length);
    await a.getByText(`${batches[0]!.total} of ${batches[0]!.total} badges printed`).waitFor();
    expect(pageProblems(a)).toEqual([]);
  });

  it('a walk-up chooses a workshop seat while registering: the station sells it like any seat and says so', async () => {
    await a.getByRole('button', { name: 'Walk-up' }).click();
    await a.getByLabel('First name').fill('Wim');
    await a.getByLabel('Last name').fill('Workshop');
    await a.getByLabel('Ticket type').selectOption({ label: 'Full Pass' });
    await a.getByLabel('Workshop: thermal printers · Lab Alfama').check();
    await shot(a, 'deskday-10-walkup-with-seat');
    await a.getByRole('button', { name: 'Register' }).click();
    await a.getByText('Wim Workshop is registered.').waitFor({ timeout: 30_000 });
    await a.getByText('Workshop: thermal printers: seat sold.').waitFor();
    await expectAccessible(a, 'walk-up with a seat');
    await a.getByRole('button', { name: 'Open Wim Workshop' }).click();
    await a.getByRole('heading', { name: 'Wim Workshop' }).waitFor();

    const wim = await detail((await ws.call('registrant.search', { query: 'wim workshop', limit: 2 })).value[0].id);
    expect(wim.sessions.map((x: { sessionId: string }) => x.sessionId)).toContain('ws-b');
    expect(wim.payments.map((p: { amount: number }) => p.amount).sort((x: number, y: number) => x - y)).toEqual([
      4_500, 25_000,
    ]);
    expect(pageProblems(a)).toEqual([]);
  });
});
