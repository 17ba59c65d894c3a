/**
 * `npm start`: a station on the embedded default. Creates (or reopens) `.lanyard/station.db`, loads the demo
 * conference the first time, and prints what the station holds. The desktop window and the browser mode come with
 * the UI; until then the station is driven through `npm run -s station -- --db .lanyard/station.db <command>`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStation } from './create-station';

const dir = process.env.LANYARD_HOME ?? '.lanyard';
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, 'station.db');
const station = await createStation({ dbPath, stationId: process.env.LANYARD_STATION ?? 'desk-1' });
try {
  let status = await station.call('station.status', {});
  if (status.ok && !status.value.conference) {
    const data = JSON.parse(readFileSync(new URL('../../assets/demo-conference.json', import.meta.url), 'utf8')) as never;
    // The embedded demo is moved so that its day 1 is today at the venue: it is always upcoming.
    const r = await station.call('conference.import', { data, shiftTo: 'today' });
    if (!r.ok) throw new Error(r.error.message);
    console.log(`Loaded the demo conference: ${r.value.sessions} sessions, ${r.value.registrants.inserted} registrants, day 1 is ${r.value.startsOn}.`);
    status = await station.call('station.status', {});
  }
  if (!status.ok) throw new Error(status.error.message);
  const s = status.value;
  console.log(`Lanyard station "${s.stationId}" — ${s.conference?.name ?? 'no conference'} (${dbPath})`);
  console.log(`  ${s.counts.sessions} sessions, ${s.counts.registrants} registrants, ${s.counts.sales} sales, ${s.outbox.depth} events waiting to send`);
  console.log(`  HQ contact: ${s.staleness.known ? `${s.staleness.minutes} min ago` : `unknown (${s.staleness.reason})`}`);
  console.log('');
  console.log('Try:');
  console.log(`  npm run -s station -- --db ${dbPath} search "jose"`);
  console.log(`  npm run -s station -- --db ${dbPath} sessions`);
  console.log(`  npm run -s station -- --db ${dbPath} --help`);
} finally {
  await station.close();
}
