/**
 * What a paid sale writes (issue 15): its reads and writes are prepared statements and the audit chain's head is
 * held in memory for the rest of the transaction, so the rows must be exactly those of one command — the seat, the
 * sale, the payment, PaymentRecorded and SeatSold in seq order, two audit entries that chain — and a refused sale
 * writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope } from '../../core/messages';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
const dbPath = () => `${t.dir}/desk-a.db`;

beforeEach(async () => {
  t = tempDir();
  const clock = new FakeClock();
  s = await openStation(t.dir, { clock });
  const c = smallConference();
  c.conference.currency = 'EUR';
  c.sessions.find((x) => x.id === 'workshop')!.price = 2_500;
  must(await s.call('conference.import', { data: c }));
  // Heard from HQ a moment ago: the desk may sell on its own (within the overdraft rule).
  must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) }));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('a paid sale', () => {
  it('writes one sale, seat and payment, its two events in order and two audit entries that chain', async () => {
    const audited = rawAll<{ n: number }>(dbPath(), 'SELECT count(*) AS n FROM audit_log')[0]!.n;
    const sold = [
      must(await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'r2', payment: { method: 'cash' } })),
      must(
        await s.call('sale.sell', {
          sessionId: 'workshop',
          registrantId: 'r3',
          payment: { method: 'card', reference: 'T-0042' },
        }),
      ),
    ].map((x) => ({ ...x, sale: x.sale! }));
    const sales = rawAll<{ id: string; registrant_id: string; tier: string }>(
      dbPath(),
      'SELECT id, registrant_id, tier FROM sale ORDER BY created_at, id',
    );
    expect(sales.map((x) => x.registrant_id).sort()).toEqual(['r2', 'r3']);
    // The answer is the sale as written.
    for (const answer of sold) expect(sales.find((x) => x.id === answer.sale.id)?.tier).toBe(answer.sale.tier);
    expect(
      rawAll(dbPath(), `SELECT registrant_id, sale_id FROM entitlement WHERE source = 'sale' ORDER BY registrant_id`),
    ).toEqual(sold.map((x) => ({ registrant_id: x.sale.registrantId, sale_id: x.sale.id })));
    expect(
      rawAll(dbPath(), 'SELECT sale_id, amount, currency, method, reference, status FROM payment ORDER BY sale_id'),
    ).toEqual(
      [
        { sale_id: sold[0]!.sale.id, amount: 2_500, currency: 'EUR', method: 'cash', reference: null, status: 'paid' },
        {
          sale_id: sold[1]!.sale.id,
          amount: 2_500,
          currency: 'EUR',
          method: 'card',
          reference: 'T-0042',
          status: 'paid',
        },
      ].sort((a, b) => a.sale_id.localeCompare(b.sale_id)),
    );

    // Per sale: PaymentRecorded then SeatSold, consecutive seqs, and the counter at the last one.
    const events = rawAll<{ seq: number; type: string; body: string }>(
      dbPath(),
      'SELECT seq, type, body FROM outbox ORDER BY seq',
    );
    expect(events.map((e) => e.type)).toEqual(['PaymentRecorded', 'SeatSold', 'PaymentRecorded', 'SeatSold']);
    events.forEach((e, i) => {
      expect(e.seq).toBe(events[0]!.seq + i);
      expect((JSON.parse(e.body) as Envelope).seq).toBe(e.seq);
    });
    expect(rawAll(dbPath(), `SELECT value FROM counter WHERE name = 'outbox'`)).toEqual([{ value: events[3]!.seq }]);

    // Two entries a sale, each following the one before, and the head at the last.
    const log = rawAll<{ seq: number; action: string; prev_hash: string; hash: string }>(
      dbPath(),
      'SELECT seq, action, prev_hash, hash FROM audit_log ORDER BY seq',
    );
    expect(log.slice(audited).map((r) => r.action)).toEqual(['payment.take', 'sale.sell', 'payment.take', 'sale.sell']);
    log.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(log[i - 1]!.hash);
    });
    expect(rawAll(dbPath(), 'SELECT seq, hash FROM audit_head')).toEqual([
      { seq: log.length, hash: log[log.length - 1]!.hash },
    ]);
    expect(must(await s.call('audit.verify', {}))).toMatchObject({ ok: true, rows: log.length });
  });

  it('refused (no payment, a seat already held, nobody by that id) writes nothing', async () => {
    must(await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'r2', payment: { method: 'cash' } }));
    const before = dbDigest(dbPath());
    const refusals = [
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'r3' }),
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'r2', payment: { method: 'cash' } }),
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'nobody', payment: { method: 'cash' } }),
      await s.call('sale.sell', { sessionId: 'nowhere', registrantId: 'r3', payment: { method: 'cash' } }),
    ];
    expect(refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'conflict',
      'conflict',
      'not_found',
      'not_found',
    ]);
    expect(dbDigest(dbPath())).toBe(before);
    // The chain carries on from its head after the refusals.
    must(await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'r3', payment: { method: 'cash' } }));
    expect(must(await s.call('audit.verify', {})).ok).toBe(true);
  });

  it('names the buyer by a confirmation code or its last group as by the id: every row names the registrant', async () => {
    const byCode = must(
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'ldc-bbb222', payment: { method: 'cash' } }),
    );
    const byShort = must(
      await s.call('registration.upgrade', {
        sessionId: 'workshop',
        registrantId: 'CCC333',
        payment: { method: 'cash' },
      }),
    );
    expect([byCode.sale!.registrantId, byShort.sale!.registrantId]).toEqual(['r2', 'r3']);
    expect(rawAll(dbPath(), `SELECT registrant_id FROM entitlement WHERE source = 'sale' ORDER BY 1`)).toEqual([
      { registrant_id: 'r2' },
      { registrant_id: 'r3' },
    ]);
    expect(rawAll(dbPath(), 'SELECT registrant_id FROM payment ORDER BY 1')).toEqual([
      { registrant_id: 'r2' },
      { registrant_id: 'r3' },
    ]);
    const named = rawAll<{ body: string }>(dbPath(), 'SELECT body FROM outbox ORDER BY seq').map(
      (r) => (JSON.parse(r.body) as Envelope<'SeatSold'>).payload.registrantId,
    );
    expect(named).toEqual(['r2', 'r2', 'r3', 'r3', 'r3']); // the upgrade: RegistrationUpgraded too

    // A code naming nobody, and a seat already held asked for by code: refused, nothing written.
    const before = dbDigest(dbPath());
    const refused = [
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'LDC-ZZZ999', payment: { method: 'cash' } }),
      await s.call('sale.sell', { sessionId: 'workshop', registrantId: 'BBB222', payment: { method: 'cash' } }),
    ];
    expect(refused.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['not_found', 'conflict']);
    expect(dbDigest(dbPath())).toBe(before);
  });
});
