/**
 * Child process for the station.open benchmark, started fresh for every measurement (as a kiosk restarted mid-queue):
 *   `station DB`  ms from createStation() on the existing database to its first station.status answer;
 *   `raw DB`      ms to open the same database with raw better-sqlite3 (the station's pragmas) and run one query.
 * The modules are loaded before the clock starts: what is timed is the opening, not Node's start-up.
 */
import { openSqlite } from '../main/store/db';
import { createStation } from '../main/station/create-station';

const [mode, dbPath] = process.argv.slice(2);
if (!dbPath || (mode !== 'station' && mode !== 'raw')) throw new Error('usage: station-open-child.ts station|raw DB');

if (mode === 'station') {
  const t0 = performance.now();
  const s = await createStation({ dbPath });
  const status = await s.call('station.status', {});
  const ms = performance.now() - t0;
  if (!status.ok) throw new Error(status.error.message);
  const verdict = await s.integrity(); // the check at open finishes (in a worker for a database this size) before we leave
  const checkedMs = performance.now() - t0;
  await s.close();
  console.log(JSON.stringify({ ms, checkedMs, registrants: status.value.counts.registrants, integrity: verdict.ok }));
} else {
  const t0 = performance.now();
  const raw = openSqlite(dbPath);
  const { n } = raw.prepare('SELECT count(*) AS n FROM registrant').get() as { n: number };
  const ms = performance.now() - t0;
  raw.close();
  console.log(JSON.stringify({ ms, registrants: n }));
}
