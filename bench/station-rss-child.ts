/** Child process for the station.rss benchmark: `loaded` holds 50,000 registrants and searches; `bare` does nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStation } from '../main/station/create-station';
import { generateConference } from '../tools/demo-data/generate';
import { mixedQueries } from './station.bench';

const mode = process.argv[2];
if (mode === 'loaded') {
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-rss-'));
  const s = await createStation({ dbPath: join(dir, 'station.db'), stationId: 'bench' });
  const conf = generateConference({ registrants: 50_000 });
  const r = await s.call('conference.import', { data: conf });
  if (!r.ok) throw new Error(r.error.message);
  for (const q of mixedQueries(conf, 1000)) await s.call('registrant.search', { query: q });
  // The import file is what a station reads once; what it keeps is the database and its caches.
  (conf as { registrants: unknown[] }).registrants = [];
  globalThis.gc?.();
  await new Promise((res) => setTimeout(res, 200));
  console.log(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 }));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
} else {
  await import('../main/station/create-station');
  console.log(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 }));
}
