/** Staff members and their PINs (scrypt, per-PIN salt), with lockout after repeated failures. */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Db, RawDb, Tx } from './db';
import type { Selectable } from 'kysely';
import type { StaffRow } from './schema';

type Q = Db | Tx;
const N = 16384;
const r = 8;
const p = 1;
const KEYLEN = 32;

function scryptAsync(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEYLEN, { N, r, p, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pin, salt);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [kind, , , , saltB64, keyB64] = stored.split('$');
  if (kind !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scryptAsync(pin, Buffer.from(saltB64, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The staff member a command names, read inside the command's transaction by a prepared statement: every desk sale
 * checks its signed-in staff member, and the query built through Kysely cost ~80 µs of it (sale.commit benchmark).
 */
export function staffReader(raw: RawDb) {
  const byId = raw.prepare<[string], Selectable<StaffRow>>('SELECT * FROM staff WHERE id = ?');
  return {
    find(id: string): Selectable<StaffRow> | undefined {
      if (!raw.inTransaction) throw new Error('staffReader must run inside the command’s transaction');
      return byId.get(id);
    },
  };
}
export type StaffReader = ReturnType<typeof staffReader>;

export async function findStaff(q: Q, id: string): Promise<Selectable<StaffRow> | undefined> {
  return q.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listStaff(q: Q): Promise<Selectable<StaffRow>[]> {
  return q.selectFrom('staff').selectAll().orderBy('name').execute();
}

export async function countSupervisors(q: Q): Promise<number> {
  const r = await q
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'supervisor')
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function insertStaff(
  q: Q,
  row: { id: string; name: string; role: 'desk' | 'supervisor'; pinHash: string; at: string },
): Promise<void> {
  await q
    .insertInto('staff')
    .values({ id: row.id, name: row.name, role: row.role, pin_hash: row.pinHash, created_at: row.at })
    .execute();
}

export async function recordPinFailure(q: Q, id: string, lockedUntil: string | null): Promise<number> {
  const r = await q
    .updateTable('staff')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1), locked_until: lockedUntil }))
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return r.failed_attempts;
}

export async function clearPinFailures(q: Q, id: string): Promise<void> {
  await q.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('id', '=', id).execute();
}

/** A new PIN, and the slate wiped: no failed attempts, no lockout. */
export async function setPinHash(q: Q, id: string, pinHash: string): Promise<boolean> {
  const r = await q
    .updateTable('staff')
    .set({ pin_hash: pinHash, failed_attempts: 0, locked_until: null })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
