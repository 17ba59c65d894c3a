/**
 * HQ's migrations: numbered, append-only, statically imported. Never edit a landed migration; add the next number
 * (and its seed and check in tests/hq/migrations.test.ts).
 */
import type { Migration } from 'kysely';
import * as m0001 from './0001-ledger';
import * as m0003 from './0003-reconciliation';
import * as m0005 from './0005-seat-wait';
import * as m0006 from './0006-desk-day';
import * as m0007 from './0007-inbox-bodies';

export const hqMigrations: Record<string, Migration> = {
  '0001-ledger': m0001,
  '0003-reconciliation': m0003,
  '0005-seat-wait': m0005,
  '0006-desk-day': m0006,
  '0007-inbox-bodies': m0007,
};
