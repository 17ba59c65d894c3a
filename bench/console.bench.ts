/**
 * The supervisor console (issue 14): ui.import — rows/s of a 50,000-row CSV imported through the console's Imports
 * tab (file picked, mapping guessed, Import pressed, to the report painted), against the station's own import rate
 * in the same run (the same file through `registrants.importCsv` in process); and ui.board — from a feed update reaching the screen (the station's
 * `availability.changed` event arriving on the page's socket) to the availability board of 200 sessions painted
 * with HQ's new number, p95, in browser mode with the station syncing against the project's Service Bus emulator;
 * HQ's SeatAvailability messages are published with the raw SDK. The baseline is `sessions.board` answered over the
 * same socket with no page (what the repaint must at least wait for).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { shiftConference } from '../core/calendar';
import { schemaVersion } from '../core/messages';
import { runCli } from '../main/station/cli';
import { createStation } from '../main/station/create-station';
import { runWeb } from '../main/web/cli';
import { generateConference } from '../tools/demo-data/generate';
import { startEmulator } from '../tools/servicebus-emulator/index';
import { lanyardTopology } from '../tools/servicebus-emulator/lanyard-topology';
import { launchBrowser, socketOf, stationSocket } from '../tests/support/browser';
import { benchDay, percentile, round, type Benchmark, type BenchResult } from './harness';

const UPDATES = 40;
const ROWS = 50_000;

/** A conference with one registrant, and 50,000 more as another system's CSV (headers Lanyard guesses). */
function importFixture() {
  const conf = shiftConference(generateConference({ registrants: ROWS }), benchDay());
  const base = { ...conf, registrants: conf.registrants.slice(0, 1) };
  const csv = [
    'code,first,last,email,company,ticket,sessions',
    ...conf.registrants.map((r) =>
      [r.confirmationCode, r.firstName, r.lastName, r.email, r.company, r.ticketTypeId, r.sessions.join(';')]
        .map((x) => `"${x.replace(/"/g, '""')}"`)
        .join(','),
    ),
  ].join('\n');
  return {
    base,
    csv,
    mapping: {
      confirmationCode: 'code',
      firstName: 'first',
      lastName: 'last',
      email: 'email',
      company: 'company',
      ticketTypeId: 'ticket',
      sessions: 'sessions',
    },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ui.import',
    async run(): Promise<BenchResult> {
      const dir = mkdtempSync(join(tmpdir(), 'lanyard-bench-import-'));
      const { base, csv, mapping } = importFixture();
      try {
        // The station's own rate: the same file, in process.
        const s = await createStation({ dbPath: join(dir, 'inproc.db'), stationId: 'bench' });
        await s.call('conference.import', { data: base });
        const t0 = performance.now();
        const direct = await s.call('registrants.importCsv', { csv, mapping });
        const directMs = performance.now() - t0;
        await s.close();
        if (!direct.ok) throw new Error(direct.error.message);

        writeFileSync(join(dir, 'conference.json'), JSON.stringify(base));
        writeFileSync(
          join(dir, 'sup.json'),
          JSON.stringify({
            stationId: 'sup-i',
            mode: 'supervisor',
            dataDir: join(dir, 'data'),
            conferenceFile: join(dir, 'conference.json'),
          }),
        );
        mkdirSync(join(dir, 'data'), { recursive: true });
        const added = await runCli(
          [
            '--db',
            join(dir, 'data', 'station.db'),
            '--station',
            'sup-i',
            'staff-add',
            '--id',
            'sam',
            '--name',
            'Sam',
            '--role',
            'supervisor',
            '--pin',
            '2468',
          ],
          { out: () => {}, err: (l) => console.error(l) },
        );
        if (added !== 0) throw new Error(`staff-add failed (${added})`);
        const running = await runWeb(['--port', '0', '--config', join(dir, 'sup.json')], () => {});
        if (!running) throw new Error('the supervisor station did not start');
        const browser = await launchBrowser();
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
          await page.goto(running.url);
          await page.getByRole('button', { name: 'Sam' }).click({ timeout: 60_000 });
          await page.getByLabel('PIN').fill('2468');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('button', { name: 'Imports', exact: true }).click();
          await page
            .getByLabel('File to import')
            .setInputFiles({ name: 'other-system.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
          await page.locator('.preview-table').waitFor({ timeout: 30_000 });
          // Timed in the page, from the click to the report painted: Playwright's waitFor polls every 500 ms once a
          // wait is long, so timing it from here came out 3.1 or 3.6 s for the same import.
          const painted = page.evaluate(`new Promise((resolve) => {
            let t0 = 0;
            const onClick = () => { t0 = performance.now(); };
            window.addEventListener('click', onClick, true);
            const seen = new MutationObserver(() => {
              if (!t0 || !document.body.textContent.includes('Import finished')) return;
              seen.disconnect();
              window.removeEventListener('click', onClick, true);
              requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
            });
            seen.observe(document.body, { childList: true, subtree: true, characterData: true });
          })`) as Promise<number>;
          await page.getByRole('button', { name: 'Import', exact: true }).click();
          await page.getByText('Import finished').waitFor({ timeout: 300_000 });
          const uiMs = await painted;
          const ui = ROWS / (uiMs / 1000);
          const baseline = ROWS / (directMs / 1000);
          return {
            name: 'ui.import',
            value: round(ui, 0),
            unit: 'rows/s',
            baseline: round(baseline, 0),
            ratio: round(ui / baseline, 3),
            goal: 'ratio >= 0.8',
            pass: ui / baseline >= 0.8,
            detail: { rows: ROWS, uiMs: round(uiMs, 0), stationMs: round(directMs, 0) },
          };
        } finally {
          await browser.close();
          await running.stop();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'ui.board',
    async run(): Promise<BenchResult> {
      const dir = mkdtempSync(join(tmpdir(), 'lanyard-bench-board-'));
      const bus = await startEmulator({ config: lanyardTopology(['sup-b']), port: 0 });
      const conf = shiftConference(generateConference({ registrants: 2000, sessions: 200 }), benchDay());
      writeFileSync(join(dir, 'conference.json'), JSON.stringify(conf));
      writeFileSync(
        join(dir, 'sup.json'),
        JSON.stringify({
          stationId: 'sup-b',
          mode: 'supervisor',
          dataDir: join(dir, 'data'),
          conferenceFile: join(dir, 'conference.json'),
          sync: { connectionString: bus.connectionString },
        }),
      );
      const quiet = { out: () => {}, err: (l: string) => console.error(l) };
      mkdirSync(join(dir, 'data'), { recursive: true });
      const added = await runCli(
        [
          '--db',
          join(dir, 'data', 'station.db'),
          '--station',
          'sup-b',
          'staff-add',
          '--id',
          'sam',
          '--name',
          'Sam',
          '--role',
          'supervisor',
          '--pin',
          '2468',
        ],
        quiet,
      );
      if (added !== 0) throw new Error(`staff-add failed (${added})`);
      const running = await runWeb(['--port', '0', '--config', join(dir, 'sup.json')], () => {});
      if (!running) throw new Error('the supervisor station did not start');
      const client = new ServiceBusClient(bus.connectionString);
      const sender = client.createSender('station-feed');
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        // The moment an availability.changed event reaches the page's socket (before the app sees it).
        await page.addInitScript(`{
          const orig = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
          Object.defineProperty(WebSocket.prototype, 'onmessage', { set(f) { orig.set.call(this, (m) => { if (typeof m.data === 'string' && m.data.includes('availability.changed')) window.__availAt = performance.now(); return f(m); }); }, get() { return orig.get.call(this); } });
        }`);
        // The station imports the conference as it starts: the screen opens once it holds every session.
        const ws = await stationSocket(socketOf(running.url));
        const ask = ws.call;
        for (
          let i = 0;
          i < 600 && (await ask('station.status', {})).value?.counts?.sessions !== conf.sessions.length;
          i++
        )
          await new Promise((r) => setTimeout(r, 100));
        await page.goto(running.url);
        await page
          .getByRole('button', { name: 'Sam' })
          .click()
          .catch(async (e: unknown) => {
            await page.screenshot({ path: join(tmpdir(), 'lanyard-bench-board-failed.png') });
            throw e;
          });
        await page.getByLabel('PIN').fill('2468');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Availability', exact: true }).click();
        await page.locator('.board-row').nth(199).waitFor({ timeout: 60_000 });
        await page.evaluate(`window.painted = (id, text) => new Promise((resolve) => {
          const done = () => { const el = document.querySelector('[data-session="' + id + '"] .board-numbers'); return el && el.textContent.startsWith(text); };
          const seen = new MutationObserver(() => {
            if (!done()) return;
            seen.disconnect();
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__availAt), 0));
          });
          seen.observe(document.body, { childList: true, subtree: true, characterData: true });
        })`);
        const sellable = conf.sessions.filter((s) => s.sellable);
        let seq = 0;
        const ui: number[] = [];
        for (let i = 0; i < UPDATES; i++) {
          const s = sellable[i % sellable.length]!;
          const sold = 1 + i;
          const painted = page.evaluate(
            `window.painted(${JSON.stringify(s.id)}, ${JSON.stringify(`${sold}/${s.capacity} sold`)})`,
          ) as Promise<number>;
          const env = {
            id: randomUUID(),
            type: 'SeatAvailability',
            schema: schemaVersion.SeatAvailability,
            conferenceId: conf.conference.id,
            origin: 'hq',
            seq: ++seq,
            at: new Date().toISOString(),
            payload: {
              sessionId: s.id,
              capacity: s.capacity,
              sold,
              allotted: 0,
              version: 1000 + i,
              salesRatePerMin: 0,
            },
          };
          await sender.sendMessages({
            body: Buffer.from(JSON.stringify(env)),
            contentType: 'application/json',
            messageId: env.id,
          });
          ui.push(await painted);
        }
        // Baseline: the board's answer over the same socket, no page.
        const raw: number[] = [];
        for (let i = 0; i <= UPDATES; i++) {
          const t0 = performance.now();
          await ask('sessions.board', {});
          if (i > 0) raw.push(performance.now() - t0); // the first warms the connection
        }
        ws.close();
        const sorted = [...ui].sort((a, b) => a - b);
        const p95 = percentile(sorted, 95);
        const base = percentile(
          [...raw].sort((a, b) => a - b),
          95,
        );
        return {
          name: 'ui.board',
          value: round(p95, 1),
          unit: 'ms (p95)',
          baseline: round(base, 1),
          ratio: round(p95 / base, 2),
          goal: '<= 50 ms',
          pass: p95 <= 50,
          detail: { p50: round(percentile(sorted, 50), 1), updates: ui.length, sessions: conf.sessions.length },
        };
      } finally {
        await browser.close();
        await sender.close();
        await client.close();
        await running.stop();
        await bus.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
