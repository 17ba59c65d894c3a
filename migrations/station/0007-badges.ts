/**
 * Badges people can read (issue 18): the import format's optional fields for badges, and the warnings a print job
 * was rendered with.
 * - conference.logo: the conference's logo (a data: URI) for badge headers;
 * - ticket_type.badge_label, days_json: the short label printed large and the conference days the ticket is valid on;
 * - registrant.profile_json: preferred name, name order, pronouns, country, accessibility, dietary, answers to custom
 *   questions and the sessions they speak at or moderate (NULL when none);
 * - print_job.warnings_json: what staff were told about the badge (a name no font can draw, text shortened, ...).
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `ALTER TABLE conference ADD COLUMN logo TEXT`,
    `ALTER TABLE ticket_type ADD COLUMN badge_label TEXT`,
    `ALTER TABLE ticket_type ADD COLUMN days_json TEXT`,
    `ALTER TABLE registrant ADD COLUMN profile_json TEXT`,
    `ALTER TABLE print_job ADD COLUMN warnings_json TEXT`,
  ]);
}
