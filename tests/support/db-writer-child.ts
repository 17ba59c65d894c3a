/**
 * A second process writing to a station database behind the station's back (two writers on one file).
 *
 *   node --import tsx tests/support/db-writer-child.ts --db FILE --mode noise --ms N     commits every ~2 ms for N ms
 *   node --import tsx tests/support/db-writer-child.ts --db FILE --mode hold --ms N      holds the write lock N ms
 *
 * Prints `{"ev":"ready"}` once it writes (or holds the lock), `{"ev":"done","commits":K}` at the end. Noise goes to
 * a settings key of its own; `hold` writes nothing (BEGIN IMMEDIATE, then ROLLBACK).
 */
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { db: { type: 'string' }, mode: { type: 'string' }, ms: { type: 'string', default: '5000' } },
  strict: true,
});
if (!values.db || (values.mode !== 'noise' && values.mode !== 'hold')) {
  console.error('usage: db-writer-child.ts --db FILE --mode noise|hold [--ms N]');
  process.exit(2);
}
const db = new Database(values.db);
db.pragma('busy_timeout = 10000');
const ms = Number(values.ms);
const say = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

if (values.mode === 'hold') {
  db.exec('BEGIN IMMEDIATE');
  say({ ev: 'ready' });
  await sleep(ms);
  db.exec('ROLLBACK');
  say({ ev: 'done', commits: 0 });
} else {
  const put = db.prepare(
    `INSERT INTO settings (key, value) VALUES ('test.noise', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const until = Date.now() + ms;
  let commits = 0;
  while (Date.now() < until) {
    db.transaction(() => put.run(String(commits))).immediate();
    if (++commits === 1) say({ ev: 'ready' });
    await sleep(2);
  }
  say({ ev: 'done', commits });
}
db.close();
