/**
 * The desk's day from the command line (issue 19, item 10): money, corrections, decisions, the cash-up and the
 * print commands the API already had, through runCli against a real database file. The conference sits on
 * tomorrow by the clock this test runs under, so nothing in it has started or ended.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { runCli } from '../../main/station/cli';
import { dbDigest } from '../support/db-snapshot';
import { hq, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
const db = () => `${t.dir}/s.db`;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--db', db(), ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  const text = out.join('\n');
  return { code, json: text ? (JSON.parse(text) as any) : undefined, err: err.join('\n') }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function pricedConference(): ConferenceFile {
  const c = smallConference();
  c.conference.currency = 'EUR';
  c.ticketTypes = [
    { id: 'full', name: 'Full pass', badgeTemplate: 'standard', price: 30_000 },
    { id: 'speaker', name: 'Speaker', badgeTemplate: 'standard', privileged: true },
  ];
  c.sessions.find((s) => s.id === 'workshop')!.price = 2_500;
  c.registrants.push({
    id: 'r6',
    confirmationCode: 'LDC-FFF666',
    firstName: 'Penny',
    lastName: 'Pending',
    email: 'penny@example.com',
    company: '',
    ticketTypeId: 'full',
    sessions: [],
    status: 'pending',
  });
  return c;
}

const asSam = ['--staff', 'sam'];
const samPin = ['--supervisor', 'sam', '--pin', '2468'];

async function setUp(): Promise<void> {
  expect((await cli('staff-add', '--id', 'sam', '--name', 'Sam', '--role', 'supervisor', '--pin', '2468')).code).toBe(
    0,
  );
  writeFileSync(`${t.dir}/conf.json`, JSON.stringify(pricedConference()));
  expect((await cli(...asSam, '--pin', '2468', 'import', `${t.dir}/conf.json`)).code).toBe(0);
  writeFileSync(
    `${t.dir}/hb.json`,
    JSON.stringify([hq('Heartbeat', { hqTime: new Date().toISOString() }, { at: new Date().toISOString() })]),
  );
  expect((await cli('apply', `${t.dir}/hb.json`)).code).toBe(0);
}

describe('the desk commands', () => {
  it('walk-up with payment, a correction by short code, a paid seat, a void, a pending one settled, and the day report', async () => {
    await setUp();
    const unpaid = await cli(...asSam, 'walkup', '--first', 'Wally', '--last', 'Walker', '--ticket-type', 'full');
    expect(unpaid.code).toBe(1);
    expect(unpaid.json.error).toMatchObject({
      code: 'conflict',
      details: { reason: 'payment_required', amount: 30_000 },
    });
    const walkup = await cli(
      ...asSam,
      'walkup',
      '--first',
      'Wally',
      '--last',
      'Walker',
      '--ticket-type',
      'full',
      '--pay',
      'card',
      '--reference',
      'T-1001',
    );
    expect(walkup.code).toBe(0);
    expect(walkup.json).toMatchObject({
      paid: { amount: 30_000, currency: 'EUR' },
      payments: [{ method: 'card', reference: 'T-1001' }],
    });
    // A look-alike is refused with the matches, unless staff say it is another person.
    const twin = await cli(
      ...asSam,
      'walkup',
      '--first',
      'Wally',
      '--last',
      'Walkr',
      '--ticket-type',
      'full',
      '--pay',
      'cash',
    );
    expect(twin.json.error.details).toMatchObject({
      reason: 'possible_duplicate',
      matches: [{ firstName: 'Wally', lastName: 'Walker' }],
    });
    expect(
      (
        await cli(
          ...asSam,
          'walkup',
          '--first',
          'Wally',
          '--last',
          'Walkr',
          '--ticket-type',
          'full',
          '--pay',
          'cash',
          '--allow-duplicate',
        )
      ).code,
    ).toBe(0);

    // The code's last group, in lower case, names the person like their id.
    const fixed = await cli(...asSam, 'correct', '--registrant', 'ddd444', '--first', 'Anna', '--reason', 'typo');
    expect(fixed.code).toBe(0);
    expect(fixed.json).toMatchObject({ id: 'r4', firstName: 'Anna' });

    const seat = await cli(...asSam, 'sell', '--session', 'workshop', '--registrant', 'r2', '--pay', 'cash');
    expect(seat.code).toBe(0);
    const paid = await cli(...asSam, 'payments', '--registrant', 'r2');
    expect(paid.json).toEqual([expect.objectContaining({ amount: 2_500, method: 'cash', purpose: 'seat' })]);
    const voided = await cli(
      ...asSam,
      'payment-reverse',
      '--payment',
      paid.json[0].id,
      '--kind',
      'void',
      '--reason',
      'rang twice',
      ...samPin,
    );
    expect(voided.code).toBe(0);
    expect(voided.json).toMatchObject({ status: 'voided', closedBy: 'sam' });

    const settled = await cli(...asSam, 'settle', '--registrant', 'r6', '--pay', 'invoice', '--reference', 'PO-77');
    expect(settled.code).toBe(0);
    expect(settled.json).toMatchObject({ status: 'paid' });

    expect((await cli(...asSam, 'stock', '--loaded', '150')).json).toMatchObject({ loaded: 150, left: 150 });
    // The money was taken today (the conference is tomorrow): today's report, in the venue's timezone (UTC).
    const report = await cli(
      ...asSam,
      'day-report',
      '--out',
      `${t.dir}/day.csv`,
      '--day',
      new Date().toISOString().slice(0, 10),
    );
    expect(report.code).toBe(0);
    const csv = readFileSync(`${t.dir}/day.csv`, 'utf8');
    expect(csv).toContain('payments,desk-1,Sam (sam),card,taken,1,300.00,EUR');
    expect(csv).toContain('payments,desk-1,Sam (sam),cash,voided,1,-25.00,EUR');
    expect(csv).toContain('payments,desk-1,Sam (sam),invoice,taken,1,300.00,EUR');
  });

  it('reaches the print API: jobs, preview to a PNG, verify, printers, batches', async () => {
    await setUp();
    expect((await cli(...asSam, 'print-jobs')).json).toEqual([]);
    const preview = await cli('badge-preview', '--registrant', 'LDC-AAA111', '--png', `${t.dir}/badge.png`);
    expect(preview.code).toBe(0);
    expect(preview.json).toMatchObject({ registrantId: 'r1', version: 1 });
    expect(readFileSync(`${t.dir}/badge.png`).subarray(1, 4).toString()).toBe('PNG');
    const verify = await cli(...asSam, 'badge-verify', preview.json.code);
    expect(verify.code).toBe(0);
    expect((await cli('printers')).code).toBe(0);
    expect((await cli(...asSam, 'batches')).json).toEqual([]);
  });

  it.each([
    [
      ['walkup', '--first', 'A', '--last', 'B', '--ticket-type', 'full', '--pay', 'bitcoin'],
      '--pay takes cash, card, invoice or complimentary',
    ],
    [['walkup', '--first', 'A', '--last', 'B', '--ticket-type', 'full', '--pay', 'card'], '--reference is required'],
    [['print-confirm', '--job', 'j1', '--printed', 'maybe'], '--printed takes yes or no'],
    [['batch-print', '--order', 'height'], '--order takes name or company'],
    [['stock', '--loaded', 'lots'], '--loaded must be a whole number'],
    [['settle', '--registrant', 'r6'], '--pay cash|card|invoice|complimentary (or --accept) is required'],
  ])('%j is a usage error (exit 2) and writes nothing', async (args, message) => {
    await setUp();
    const before = dbDigest(db());
    const r = await cli(...asSam, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(dbDigest(db())).toBe(before);
  });
});
