/**
 * The station's link comes back (issue 15), through the fault proxy and the real SDK:
 *   - staff switch "work offline" on and straight off again while the broker is a round trip away: the feed keeps
 *     arriving (the SDK's old subscription drains its credit first; a new one started on top of that drain was left
 *     with no credit and heard nothing more — the flaky reconciliation scenario);
 *   - the link heals while the station waits out a long backoff step: the link check sees it and the station sends
 *     at once, and hears HQ again.
 */
import { BehaviorSubject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { startFaultProxy, type FaultProxy } from '../../tools/net-fault-proxy/proxy';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { fakeHq, startBus, waitFor } from '../support/bus';
import { dayAt, must, openStation, smallConference, tempDir } from '../support/fixtures';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Rig {
  bus: RunningEmulator;
  proxy: FaultProxy;
  station: Station;
  hq: ReturnType<typeof fakeHq>;
  os: BehaviorSubject<boolean>;
}

/** A station behind a fault proxy; a fake HQ talks to the emulator directly. */
async function rig(sync: Record<string, unknown> = {}): Promise<Rig> {
  const t = tempDir('lanyard-link-');
  cleanups.push(() => t.cleanup());
  const bus = await startBus(['desk-a']);
  cleanups.push(() => bus.stop());
  const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: bus.port });
  cleanups.push(() => proxy.close());
  const os = new BehaviorSubject(false);
  const station = await openStation(t.dir, {
    // No allotment keeper: its requests would be outbox rows of their own (the tests count them).
    sync: {
      connectionString: bus.connectionString.replace(`:${bus.port};`, `:${proxy.port};`),
      keepSeatsInHand: 0,
      ...sync,
    },
    osOnline$: os,
  });
  cleanups.push(() => station.close());
  const hq = fakeHq(bus.connectionString);
  cleanups.push(() => hq.close());
  must(await station.call('conference.import', { data: smallConference() }));
  return { bus, proxy, station, hq, os };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const status = async (s: Station) => must(await s.call('sync.status', {}));

describe('the link comes back', () => {
  it('the feed keeps arriving when staff switch work offline off again within a round trip to the broker', async () => {
    const { proxy, station, hq, os } = await rig();
    os.next(true);
    await hq.publish(hq.feed('Heartbeat', { hqTime: dayAt('08:45') }));
    await waitFor(async () => (await status(station)).inbox.applied === 1, 10_000, 'the first feed message');
    // 40 ms each way: the SDK's drain of the old subscription's credit is answered after the switch is back on.
    proxy.setLatency(40);
    for (let round = 1; round <= 3; round++) {
      must(await station.call('sync.setWorkOffline', { on: true }));
      must(await station.call('sync.setWorkOffline', { on: false }));
      await sleep(300); // HQ speaks after both drains were answered
      await hq.publish(hq.feed('Heartbeat', { hqTime: dayAt('08:45') }));
      await waitFor(
        async () => (await status(station)).inbox.applied === round + 1,
        5000,
        `feed message ${round + 1} after switching back online`,
      );
    }
    expect((await status(station)).inbox).toMatchObject({ applied: 4, quarantined: 0 });
  });

  it('a link that heals during a long backoff step is back at once: the link check sees the broker answer again', async () => {
    // A first retry 7–10 s after a failure (jitter), so waiting out the backoff could not pass the bound below.
    const { proxy, station, hq, os } = await rig({ retry: { initialMs: 10_000, maxMs: 30_000, linkCheckMs: 100 } });
    os.next(true);
    await hq.publish(hq.feed('Heartbeat', { hqTime: dayAt('08:45') }));
    await waitFor(async () => (await status(station)).inbox.applied === 1, 10_000, 'the first feed message');
    // The venue link drops: every connection reset, new ones refused.
    proxy.refuse(true);
    proxy.cut();
    must(await station.call('checkin.record', { registrantId: 'r1' }));
    await waitFor(async () => (await status(station)).state === 'offline', 10_000, 'the station to notice');
    const down = await status(station);
    expect(down).toMatchObject({ outbox: { depth: 1 } });
    expect(down.reason).toMatch(/^bus unreachable: .*; retrying in \d+\.\d s$/);
    await sleep(1000);
    const healedAt = Date.now();
    proxy.heal();
    await hq.publish(hq.feed('Heartbeat', { hqTime: dayAt('08:45') }));
    await waitFor(
      async () => {
        const s = await status(station);
        return s.outbox.depth === 0 && s.inbox.applied === 2;
      },
      5000,
      'the check-in sent and HQ heard again',
    );
    // Well before the backoff's next attempt (at least 6 s from now).
    expect(Date.now() - healedAt).toBeLessThan(3000);
  });
});
