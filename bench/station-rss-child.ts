/**
 * Child process for the station.rss benchmark, run bundled under plain Node as the app runs its station host (see
 * station.bench.ts): `loaded FILE` imports the conference in FILE (50,000 registrants) and runs its searches;
 * `bare` loads the same station code and does nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConferenceFile } from '../core/conference';
import { createStation } from '../main/station/create-station';

const [mode, file] = process.argv.slice(2);
if (mode === 'loaded') {
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-rss-'));
  const s = await createStation({ dbPath: join(dir, 'station.db'), stationId: 'bench' });
  // What a kiosk reads once (the conference file) is dropped after the import; what it keeps is the database and
  // its caches.
  let input: { conference: ConferenceFile; queries: string[] } | null = JSON.parse(readFileSync(file!, 'utf8'));
  const r = await s.call('conference.import', { data: input!.conference });
  if (!r.ok) throw new Error(r.error.message);
  const queries = input!.queries;
  input = null;
  for (const q of queries) await s.call('registrant.search', { query: q });
  globalThis.gc?.();
  await new Promise((res) => setTimeout(res, 200));
  console.log(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 }));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
} else if (mode === 'bare') {
  console.log(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20, station: typeof createStation }));
} else {
  throw new Error('usage: station-rss-child.mjs loaded FILE | bare');
}
