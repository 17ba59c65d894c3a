import { BehaviorSubject, defer, throwError, timer, of, type Observable } from 'rxjs';
import { map } from 'rxjs/operators';
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { backoffDelay, createConnectivity, defaultBackoff, type ConnectivityState } from '../../main/sync/connectivity';

/** A bus that is up or down; each probe takes 50 ms of virtual time. */
function fakeBus(scheduler: VirtualTimeScheduler) {
  const up = new BehaviorSubject(true);
  let probes = 0;
  const probe = (): Observable<unknown> =>
    defer(() => {
      probes++;
      return timer(50, scheduler).pipe(
        map(() => {
          if (!up.getValue()) throw new Error('connect ECONNREFUSED 127.0.0.1:5672');
          return true;
        }),
      );
    });
  return { up, probe, probes: () => probes };
}

/** The link check: the broker's port answers (after 10 ms) unless the path is down. */
function fakeLink(scheduler: VirtualTimeScheduler) {
  const up = new BehaviorSubject(true);
  let checks = 0;
  const check = (): Observable<boolean> =>
    defer(() => {
      checks++;
      return timer(10, scheduler).pipe(map(() => up.getValue()));
    });
  return { up, check, checks: () => checks };
}

function setup(opts: { random?: () => number; feedFreshMs?: number; withLinkCheck?: boolean } = {}) {
  const scheduler = new VirtualTimeScheduler();
  const os = new BehaviorSubject(true);
  const bus = fakeBus(scheduler);
  const link = fakeLink(scheduler);
  const c = createConnectivity({
    osOnline$: os,
    probe: bus.probe,
    scheduler,
    random: opts.random ?? (() => 0),
    feedFreshMs: opts.feedFreshMs ?? 10_000,
    ...(opts.withLinkCheck ? { linkCheck: link.check, linkCheckMs: 250 } : {}),
  });
  const states: ConnectivityState[] = [];
  c.state$.subscribe((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  /** Moves virtual time forward by exactly `ms`, running every timer due on the way. */
  const advance = (ms: number) => {
    const target = scheduler.now() + ms;
    scheduler.schedule(() => {}, ms);
    scheduler.maxFrames = target;
    scheduler.flush();
  };
  return { scheduler, os, bus, link, c, states, advance };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter only shortening it', () => {
    const b = { ...defaultBackoff, initialMs: 100, maxMs: 2000, factor: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, b, () => 0))).toEqual([
      100, 200, 400, 800, 1600, 2000, 2000,
    ]);
    expect(backoffDelay(3, b, () => 1)).toBe(200);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(4, b, Math.random);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });
});

describe('connectivity state machine (virtual time)', () => {
  it('connects, is degraded until HQ speaks, then online; goes stale without heartbeats', () => {
    const { c, states, advance } = setup({ feedFreshMs: 10_000 });
    advance(100);
    expect(c.snapshot().state).toBe('degraded');
    c.reportFeedContact();
    expect(c.snapshot().state).toBe('online');
    advance(9_999);
    expect(c.snapshot().state).toBe('online');
    advance(2);
    expect(c.snapshot().state).toBe('degraded');
    c.reportFeedContact();
    expect(states).toEqual(['connecting', 'degraded', 'online', 'degraded', 'online']);
  });

  it('backs off exponentially while the bus is down, and recovers', () => {
    const { c, bus, advance } = setup();
    bus.up.next(false);
    advance(60); // first probe fails at 50 ms
    expect(c.snapshot()).toMatchObject({ state: 'offline', failures: 1 });
    expect(c.snapshot().reason).toMatch(/ECONNREFUSED.*retrying in 0\.3 s/);
    // retries at +250, +500, +1000, +2000 (each probe takes 50 ms)
    advance(250 + 50 + 500 + 50 + 1000 + 50 + 2000 + 50);
    expect(bus.probes()).toBe(5);
    expect(c.snapshot().failures).toBe(5);
    bus.up.next(true);
    advance(4000 + 60);
    expect(bus.probes()).toBe(6);
    c.reportFeedContact();
    expect(c.snapshot()).toMatchObject({ state: 'online', failures: 0 });
  });

  it('a failure while online reconnects; a success while degraded is enough to resume', () => {
    const { c, advance, bus } = setup();
    advance(100);
    c.reportFeedContact();
    c.reportFailure(new Error('link detached'));
    expect(c.snapshot().state).toBe('offline');
    advance(250 + 60);
    expect(bus.probes()).toBe(2);
    expect(c.snapshot().state).toBe('online'); // HQ was heard moments ago
  });

  it('the OS network signal and the work-offline switch force offline and reconnect at once when lifted', () => {
    const { c, os, advance, bus } = setup();
    advance(100);
    os.next(false);
    expect(c.snapshot()).toMatchObject({ state: 'offline', reason: 'the network is down' });
    advance(60_000);
    expect(bus.probes()).toBe(1); // no attempts while the network is down
    os.next(true);
    expect(c.snapshot().state).toBe('connecting');
    advance(60);
    c.setWorkOffline(true);
    expect(c.snapshot()).toMatchObject({ state: 'offline', reason: 'working offline (switched on by staff)' });
    c.reportSuccess(); // late successes do not undo the switch
    expect(c.snapshot().state).toBe('offline');
    c.setWorkOffline(false);
    advance(60);
    expect(c.snapshot().state).not.toBe('offline');
  });

  it('while the bus is unreachable, the link check sees the link heal and the station reconnects at once, not at the end of the backoff', () => {
    const { c, bus, link, scheduler, advance } = setup({ withLinkCheck: true });
    advance(100);
    expect(c.snapshot().state).toBe('degraded');
    // The link goes down: the bus and the path to it.
    bus.up.next(false);
    link.up.next(false);
    c.reportFailure(new Error('connection reset'));
    advance(8_000); // probes at +250, +500, +1000, +2000, +4000: the next one is due 8 s after the last
    expect(c.snapshot()).toMatchObject({ state: 'offline', failures: 6 });
    const probesBefore = bus.probes();
    expect(c.snapshot().nextAttemptAt! - scheduler.now()).toBeGreaterThan(4_000);
    // The link heals: within one check period (250 ms) and one check (10 ms), a probe, and it succeeds.
    bus.up.next(true);
    link.up.next(true);
    advance(250 + 10 + 60);
    expect(bus.probes()).toBe(probesBefore + 1);
    expect(c.snapshot()).toMatchObject({ state: 'degraded', failures: 0 });
    // Connected: no more checks.
    const checks = link.checks();
    advance(10_000);
    expect(link.checks()).toBe(checks);
  });

  it('a link check that passes from the start (the failure was not the network) leaves the backoff as it was', () => {
    const { bus, link, advance } = setup({ withLinkCheck: true }); // the broker's port answers all along...
    bus.up.next(false); // ...but the bus refuses us (say, an expired key)
    advance(60);
    advance(250 + 50 + 500 + 50 + 1000 + 50 + 2000 + 50);
    expect(bus.probes()).toBe(5); // the backoff's own schedule
    expect(link.checks()).toBe(5); // one check after each failure, not one every 250 ms
  });

  it('a heal that does not bring the bus back is used up by one attempt: no reconnect loop', () => {
    const { c, bus, link, advance } = setup({ withLinkCheck: true });
    link.up.next(false);
    bus.up.next(false);
    advance(60 + 250 + 50 + 500 + 50); // three failed probes, the link checks failing meanwhile
    expect(bus.probes()).toBe(3);
    link.up.next(true); // the path is back at 910 ms, but the broker still refuses us
    advance(260);
    expect(bus.probes()).toBe(4); // the heal's one attempt, at the next check (1,150 ms + 10)
    advance(50);
    expect(c.snapshot()).toMatchObject({ state: 'offline', failures: 4 });
    expect(c.snapshot().nextAttemptAt).toBe(1210 + 2000);
    const checks = link.checks(); // one check after that failure passed at once: nothing more to learn
    advance(3210 - 1220 - 1);
    expect(bus.probes()).toBe(4); // the backoff's schedule, not a probe per check
    expect(link.checks()).toBe(checks);
    advance(2);
    expect(bus.probes()).toBe(5);
  });

  it('no link checks while staff work offline or the OS says the network is down', () => {
    const { c, bus, link, os, advance } = setup({ withLinkCheck: true });
    link.up.next(false);
    bus.up.next(false);
    advance(60); // the first probe failed: checks begin
    advance(1000);
    expect(link.checks()).toBeGreaterThan(3);
    c.setWorkOffline(true);
    let checks = link.checks();
    advance(30_000);
    expect(link.checks()).toBe(checks);
    c.setWorkOffline(false);
    advance(60);
    os.next(false);
    checks = link.checks();
    advance(30_000);
    expect(link.checks()).toBe(checks);
    expect(c.snapshot()).toMatchObject({ state: 'offline', reason: 'the network is down' });
  });

  it('never leaks the shared access key into a reason', () => {
    const scheduler = new VirtualTimeScheduler();
    const c = createConnectivity({
      osOnline$: of(true),
      probe: () => throwError(() => new Error('bad: Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=c2VjcmV0;')),
      scheduler,
    });
    expect(c.snapshot().reason).not.toContain('c2VjcmV0');
    expect(c.snapshot().reason).toContain('SharedAccessKey=***');
    c.dispose();
  });
});
