/**
 * The desk's day across an installation (issue 19; tools/demo/world.ts: the emulator with the real Service Bus
 * SDK, HQ, two real stations): a correction at one desk reaches HQ and the other desk; payments and their voids
 * are recorded at HQ; an imported seat given back at a desk frees it at HQ and for everyone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { startWorld, until, type World, type WorldStation } from '../../tools/demo/world';
import { rawAll } from '../support/db-snapshot';
import { must, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

const sam = { supervisorId: 'sam', pin: '2468' };
const deskSam = { transport: 'ipc', mode: 'desk', session: { staffId: 'sam', role: 'supervisor' } } as const;

function conference(): ConferenceFile {
  const c = smallConference();
  c.conference.currency = 'EUR';
  c.sessions.find((s) => s.id === 'workshop')!.price = 2_500;
  return c;
}

async function start(c = conference()): Promise<{ A: WorldStation; B: WorldStation }> {
  t = tempDir('lanyard-desk-day-');
  world = await startWorld({ dir: t.dir, conference: c, stations: [{ id: 'desk-a' }, { id: 'desk-b' }] });
  const [A, B] = ['desk-a', 'desk-b'].map((id) => world!.stations[id]!) as [WorldStation, WorldStation];
  for (const ws of [A, B])
    must(await ws.station.call('staff.add', { id: 'sam', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  await until(
    async () =>
      (await world!.agree()) &&
      (
        await Promise.all([A, B].map(async (ws) => must(await ws.station.call('sync.status', {})).state === 'online'))
      ).every(Boolean),
    20_000,
    'both desks online',
  );
  return { A, B };
}

const hqRows = <T>(sql: string) => rawAll<T>(`${t.dir}/hq.db`, sql);

describe('the desk’s day through HQ', () => {
  it('a correction at desk A reaches HQ (with who and why) and desk B, and desk B’s search finds the new name', async () => {
    const { A, B } = await start();
    must(
      await A.station.callAs(deskSam, 'registrant.correct', {
        registrantId: 'r4',
        changes: { lastName: 'Silveira', company: 'Acme Corp' },
        reason: 'misspelt at sign-up',
      }),
    );
    await until(
      async () => must(await B.station.call('registrant.get', { id: 'r4' })).lastName === 'Silveira',
      15_000,
      'desk B has the correction',
    );
    expect(must(await B.station.call('registrant.get', { id: 'r4' }))).toMatchObject({
      firstName: 'Ana',
      lastName: 'Silveira',
      company: 'Acme Corp',
    });
    expect(must(await B.station.call('registrant.search', { query: 'silveira' })).map((r) => r.id)).toEqual(['r4']);
    expect(hqRows(`SELECT station, registrant_id, kind, fields_json, reason, staff_id FROM registrant_change`)).toEqual(
      [
        {
          station: 'station:desk-a',
          registrant_id: 'r4',
          kind: 'correction',
          fields_json: '["lastName","company"]',
          reason: 'misspelt at sign-up',
          staff_id: 'sam',
        },
      ],
    );
    // Desk B's history says where it was changed.
    const history = must(await B.station.call('registrant.get', { id: 'r4' })).history;
    expect(history.some((h) => h.action === 'registrant.changedElsewhere' && h.summary.includes('desk-a'))).toBe(true);
  });

  it('a paid seat: the payment and its refund are recorded at HQ; once HQ confirms the sale, nothing is left unconfirmed on the day report', async () => {
    const { A } = await start();
    const sold = must(
      await A.station.callAs(deskSam, 'sale.sell', {
        sessionId: 'workshop',
        registrantId: 'r2',
        payment: { method: 'card', reference: 'T-42' },
      }),
    );
    await until(
      async () =>
        must(await A.station.call('registrant.get', { id: 'r2' })).sessions.some((s) => s.sale?.status === 'confirmed'),
      15_000,
      'HQ confirms the sale',
    );
    const [p] = must(await A.station.call('payment.list', { registrantId: 'r2' }));
    expect(p).toMatchObject({ saleId: sold.sale!.id, amount: 2_500, method: 'card', reference: 'T-42' });
    await until(() => hqRows(`SELECT id FROM payment`).length === 1, 15_000, 'HQ records the payment');
    must(
      await A.station.callAs(deskSam, 'payment.reverse', {
        paymentId: p!.id,
        kind: 'refund',
        reason: 'changed their mind',
        supervisor: sam,
      }),
    );
    await until(
      () => hqRows<{ status: string }>(`SELECT status FROM payment`)[0]?.status === 'refunded',
      15_000,
      'HQ records the refund',
    );
    expect(
      hqRows(
        `SELECT station, registrant_id, amount, currency, method, reference, status, close_reason, supervisor_id FROM payment`,
      ),
    ).toEqual([
      {
        station: 'station:desk-a',
        registrant_id: 'r2',
        amount: 2_500,
        currency: 'EUR',
        method: 'card',
        reference: 'T-42',
        status: 'refunded',
        close_reason: 'changed their mind',
        supervisor_id: 'sam',
      },
    ]);
    await until(
      async () => must(await A.station.call('sync.status', {})).outbox.depth === 0,
      15_000,
      'desk A’s outbox empty',
    );
    const csv = must(await A.station.callAs(deskSam, 'reports.day', {})).csv;
    expect(csv).toContain('seat sales HQ has not decided,0');
    expect(csv).toContain('payments not yet sent to HQ,0');
  });

  it('an imported seat given back at desk A is freed at HQ and gone from the registration at desk B', async () => {
    const { A, B } = await start();
    const before = (await world!.hq!.ledger.view()).sessions.find((s) => s.id === 'panel')!.sold;
    must(
      await A.station.callAs(deskSam, 'seat.release', {
        registrantId: 'r1',
        sessionId: 'panel',
        reason: 'cannot stay for the afternoon',
      }),
    );
    await until(
      async () => (await world!.hq!.ledger.view()).sessions.find((s) => s.id === 'panel')!.sold === before - 1,
      15_000,
      'HQ frees the seat',
    );
    await until(
      async () =>
        !must(await B.station.call('registrant.get', { id: 'r1' })).sessions.some((s) => s.sessionId === 'panel'),
      15_000,
      'desk B no longer lists the seat',
    );
    expect(must(await A.station.call('registrant.get', { id: 'r1' })).sessions.map((s) => s.sessionId)).not.toContain(
      'panel',
    );
  });

  it('a paid seat HQ refuses (the last seat went to desk B a moment before) is refunded by the station itself, and HQ hears of it', async () => {
    const c = conference();
    c.sessions.find((x) => x.id === 'workshop')!.capacity = 1;
    const { A, B } = await start(c);
    const taken = must(
      await B.station.callAs(deskSam, 'sale.sell', {
        sessionId: 'workshop',
        registrantId: 'r1',
        payment: { method: 'card', reference: 'T-1' },
      }),
    );
    expect(taken.outcome).toBe('confirmed');

    // Desk A is online: HQ decides before the person gets the seat, and the card was already charged.
    const sold = must(
      await A.station.callAs(deskSam, 'sale.sell', {
        sessionId: 'workshop',
        registrantId: 'r2',
        payment: { method: 'card', reference: 'T-2' },
      }),
    );
    expect(sold.outcome === 'refused' || sold.outcome === 'awaiting').toBe(true);
    await until(
      async () => must(await A.station.call('payment.list', { registrantId: 'r2' }))[0]?.status === 'refunded',
      15_000,
      'desk A refunds the payment itself',
    );
    const [p] = must(await A.station.call('payment.list', { registrantId: 'r2' }));
    expect(p).toMatchObject({ amount: 2_500, method: 'card', reference: 'T-2', closedBy: 'station' });
    expect(p!.closeReason).toMatch(/full/);
    const r2 = must(await A.station.call('registrant.get', { id: 'r2' }));
    expect(r2.sessions.map((x) => x.sessionId)).not.toContain('workshop');
    expect(r2.paid).toEqual({ amount: 0, currency: 'EUR' });

    // HQ has the payment and its refund, and the seat stays desk B's.
    await until(
      () =>
        hqRows<{ status: string }>(`SELECT status FROM payment WHERE registrant_id = 'r2'`)[0]?.status === 'refunded',
      15_000,
      'HQ records the automatic refund',
    );
    expect(hqRows(`SELECT method, reference, amount, status FROM payment WHERE registrant_id = 'r2'`)).toEqual([
      { method: 'card', reference: 'T-2', amount: 2_500, status: 'refunded' },
    ]);
    expect((await world!.hq!.ledger.view()).sessions.find((x) => x.id === 'workshop')!.sold).toBe(1);

    // The cash-up nets it out: card taken and refunded at desk A.
    const csv = must(await A.station.callAs(deskSam, 'reports.day', {})).csv;
    expect(csv).toContain('payments,desk-a,Sam Supervisor (sam),card,refunded,1,-25.00,EUR');
    expect(csv).toContain('payments,desk-a,Sam Supervisor (sam),card,net,1,0.00,EUR');
  });
});
