import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy } from './proxy';
import type { FaultProxy, ProxyState } from './proxy';
import { client, closedPort, connected, delay, roundTrip, startEchoServer, waitUntil } from './test-helpers';
import type { Client, EchoServer } from './test-helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(greeting?: string): Promise<{ echo: EchoServer; proxy: FaultProxy; clients: Client[] }> {
  const echo = await startEchoServer(greeting);
  const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: echo.port });
  const clients: Client[] = [];
  cleanups.push(() => echo.close());
  cleanups.push(() => proxy.close());
  cleanups.push(() => clients.forEach((c) => c.socket.destroy()));
  return { echo, proxy, clients };
}

async function open(proxy: FaultProxy, clients: Client[]): Promise<Client> {
  const c = await connected(proxy.port);
  clients.push(c);
  return c;
}

/** Records state$ with the time since the start of recording. */
function record(proxy: FaultProxy): Array<{ t: number; state: ProxyState }> {
  const seen: Array<{ t: number; state: ProxyState }> = [];
  const t0 = performance.now();
  const sub = proxy.state$.subscribe((state) => seen.push({ t: performance.now() - t0, state }));
  cleanups.push(() => sub.unsubscribe());
  return seen;
}

describe('startFaultProxy', () => {
  it('listens on a random loopback port and rejects non-loopback hosts', async () => {
    const { proxy } = await setup();
    expect(proxy.host).toBe('127.0.0.1');
    expect(proxy.port).toBeGreaterThan(0);
    await expect(startFaultProxy({ targetHost: '10.0.0.5', targetPort: 5672 })).rejects.toThrow(/loopback/);
    await expect(startFaultProxy({ listenHost: '0.0.0.0', targetHost: '127.0.0.1', targetPort: 5672 })).rejects.toThrow(
      /loopback/,
    );
  });

  it('forwards bytes both ways, counts them, and propagates a half-close', async () => {
    const { echo, proxy, clients } = await setup('hello-from-target;');
    const c = await open(proxy, clients);
    expect(await c.waitFor('hello-from-target;')).toBe(true);

    const payload = Buffer.alloc(256 * 1024, 'x');
    c.socket.write(payload);
    expect(await waitUntil(() => c.bytes() === 'hello-from-target;'.length + payload.length)).toBe(true);
    expect(echo.received()).toBe(payload.length);

    const stats = proxy.stats();
    expect(stats.bytesUp).toBe(payload.length);
    expect(stats.bytesDown).toBe(payload.length + 'hello-from-target;'.length);
    expect(stats.connectionsOpen).toBe(1);
    expect(stats.connectionsTotal).toBe(1);

    // Client FIN → target FIN back → everything closes and the proxy forgets the connection.
    c.socket.end();
    expect(await c.waitClosed()).toBe(true);
    expect(c.ended()).toBe(true);
    expect(await waitUntil(() => proxy.stats().connectionsOpen === 0)).toBe(true);
    expect(await waitUntil(() => echo.sockets.size === 0)).toBe(true);
  });

  it('closes the client when the target is down', async () => {
    const port = await closedPort();
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: port });
    cleanups.push(() => proxy.close());
    const c = await connected(proxy.port);
    cleanups.push(() => void c.socket.destroy());
    expect(await c.waitClosed(2000)).toBe(true);
    expect(await waitUntil(() => proxy.stats().connectionsOpen === 0)).toBe(true);
  });

  it('cut destroys every live connection on both sides, and new ones still work', async () => {
    const { echo, proxy, clients } = await setup();
    const a = await open(proxy, clients);
    const b = await open(proxy, clients);
    await roundTrip(a, 'a1');
    await roundTrip(b, 'b1');
    expect(echo.sockets.size).toBe(2);

    expect(proxy.cut()).toBe(2);
    expect(proxy.stats().connectionsOpen).toBe(0);
    expect(await a.waitClosed(1000)).toBe(true);
    expect(await b.waitClosed(1000)).toBe(true);
    expect(await waitUntil(() => echo.sockets.size === 0, 1000)).toBe(true);

    const c = await open(proxy, clients);
    await roundTrip(c, 'c1');
    expect(proxy.stats().connectionsTotal).toBe(3);
  });

  it('blackhole drops bytes silently but holds sockets open; heal restores new connections', async () => {
    const { echo, proxy, clients } = await setup();
    const lost = await open(proxy, clients);
    const idle = await open(proxy, clients);
    await roundTrip(lost, 'before;');
    const receivedBefore = echo.received();

    proxy.blackhole(true);
    expect(proxy.state().mode).toBe('blackhole');
    lost.socket.write('during;');
    const fresh = await open(proxy, clients); // still accepted: a blackhole is not a refusal
    fresh.socket.write('fresh;');
    // The target closing is also swallowed: the client must not hear about it.
    // Target sides are accepted in order lost, idle, fresh: kill fresh's, keep lost's alive for later.
    expect(await waitUntil(() => echo.accepted() === 3)).toBe(true);
    const freshTarget = [...echo.sockets][2];
    expect(freshTarget).toBeDefined();
    freshTarget?.destroy();
    await delay(300);

    expect(echo.received()).toBe(receivedBefore);
    expect(lost.text()).toBe('before;');
    expect(fresh.bytes()).toBe(0);
    for (const c of [lost, idle, fresh]) {
      expect(c.closed()).toBe(false);
      expect(c.socket.destroyed).toBe(false);
    }
    expect(proxy.stats().bytesDropped).toBe('during;'.length + 'fresh;'.length);

    proxy.heal();
    expect(proxy.state().mode).toBe('forward');
    const after = await open(proxy, clients);
    await roundTrip(after, 'after;');
    // A connection that lost nothing resumes; one that lost bytes stays dark (its stream has a hole).
    await roundTrip(idle, 'idle-resumes;');
    lost.socket.write('still-dark;');
    await delay(200);
    expect(lost.text()).toBe('before;');
    expect(lost.closed()).toBe(false);
  });

  it('latency delays each direction measurably, keeps order under jitter, and heal removes it', async () => {
    const { proxy, clients } = await setup();
    const c = await open(proxy, clients);
    const baseline = Math.max(await roundTrip(c, 'b1;'), await roundTrip(c, 'b2;'), await roundTrip(c, 'b3;'));

    proxy.setLatency(100);
    expect(proxy.state()).toMatchObject({ mode: 'latency', latencyMs: 100, jitterMs: 0 });
    const delayed = await roundTrip(c, 'l1;');
    // 100 ms each way → ~200 ms round trip; timers never fire meaningfully early.
    expect(delayed).toBeGreaterThanOrEqual(190);
    expect(delayed - baseline).toBeGreaterThanOrEqual(150);
    expect(delayed).toBeLessThan(2000);

    // Jitter larger than the gaps between writes would reorder chunks if order were not preserved.
    proxy.setLatency(20, 20);
    const sent: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const token = `<${i}>`;
      sent.push(token);
      c.socket.write(token);
      await delay(2);
    }
    expect(await c.waitFor('<39>', 3000)).toBe(true);
    expect(c.text().endsWith(sent.join(''))).toBe(true);

    proxy.heal();
    expect(proxy.state().latencyMs).toBe(0);
    expect(await roundTrip(c, 'h1;')).toBeLessThan(100);
    expect(() => proxy.setLatency(-1)).toThrow(RangeError);
  });

  it('refuse closes new connections immediately but leaves live ones alone', async () => {
    const { echo, proxy, clients } = await setup();
    const live = await open(proxy, clients);

    proxy.refuse(true);
    expect(proxy.state().mode).toBe('refuse');
    // Do not wait for 'connect': the RST can beat it, which is exactly what refusal should look like.
    const refused = client(proxy.port);
    clients.push(refused);
    refused.socket.write('nobody-home;');
    expect(await refused.waitClosed(1000)).toBe(true);
    expect(refused.bytes()).toBe(0);
    expect(echo.accepted()).toBe(1);
    expect(proxy.stats()).toMatchObject({ connectionsRefused: 1, connectionsTotal: 1, connectionsOpen: 1 });
    await roundTrip(live, 'live;');

    proxy.refuse(false);
    const later = await open(proxy, clients);
    await roundTrip(later, 'later;');
  });

  it('flap (blackhole) toggles on schedule and stops after N cycles', async () => {
    const { proxy, clients } = await setup();
    const seen = record(proxy);
    proxy.flap({ upMs: 80, downMs: 80, cycles: 2, mode: 'blackhole' });

    expect(await waitUntil(() => seen.length >= 6, 3000)).toBe(true);
    const steps = seen.slice(1).map(({ t, state }) => ({
      t,
      phase: state.flap?.phase ?? 'stopped',
      cycle: state.flap?.cycle ?? 0,
      blackhole: state.blackhole,
    }));
    expect(steps.map(({ phase, cycle, blackhole }) => ({ phase, cycle, blackhole }))).toEqual([
      { phase: 'up', cycle: 1, blackhole: false },
      { phase: 'down', cycle: 1, blackhole: true },
      { phase: 'up', cycle: 2, blackhole: false },
      { phase: 'down', cycle: 2, blackhole: true },
      { phase: 'stopped', cycle: 0, blackhole: false },
    ]);
    // Phase changes land at 80, 160, 240, 320 ms; allow slack for a busy CI machine.
    [80, 160, 240, 320].forEach((expected, i) => {
      const t = steps[i + 1]?.t ?? Number.NaN;
      expect(t).toBeGreaterThanOrEqual(expected - 10);
      expect(t).toBeLessThan(expected + 600);
    });

    const countAtStop = seen.length;
    await delay(250);
    expect(seen.length).toBe(countAtStop);
    const c = await open(proxy, clients);
    await roundTrip(c, 'after-flap;');
  });

  it('flap (cut) kills live connections, refuses while down, and stopFlap ends it', async () => {
    const { proxy, clients } = await setup();
    const seen = record(proxy);
    const live = await open(proxy, clients);
    proxy.flap({ upMs: 50, downMs: 400, mode: 'cut' });

    expect(await live.waitClosed(1000)).toBe(true);
    expect(proxy.state()).toMatchObject({ mode: 'refuse', refuse: true, flap: { phase: 'down', cycles: null } });
    const duringDown = client(proxy.port);
    clients.push(duringDown);
    expect(await duringDown.waitClosed(1000)).toBe(true);
    expect(proxy.stats().connectionsRefused).toBe(1);

    proxy.stopFlap();
    expect(proxy.state()).toMatchObject({ mode: 'forward', flap: null });
    const countAtStop = seen.length;
    const c = await open(proxy, clients);
    await roundTrip(c, 'stopped;');
    await delay(500); // longer than a whole cycle: nothing may still be scheduled
    expect(seen.length).toBe(countAtStop);
    expect(c.closed()).toBe(false);
  });

  it('close releases connections, the port and state$, and is idempotent', async () => {
    const { echo, proxy, clients } = await setup();
    const seen = record(proxy);
    let completed = false;
    const sub = proxy.state$.subscribe({ complete: () => (completed = true) });
    cleanups.push(() => sub.unsubscribe());
    const c = await open(proxy, clients);
    await roundTrip(c, 'x;');
    proxy.setLatency(5000);
    proxy.flap({ upMs: 5000, downMs: 5000, mode: 'cut' });

    await proxy.close();
    await proxy.close();
    expect(completed).toBe(true);
    expect(seen.at(-1)?.state.mode).toBe('closed');
    expect(await c.waitClosed(1000)).toBe(true);
    expect(await waitUntil(() => echo.sockets.size === 0, 1000)).toBe(true);
    expect(proxy.stats().connectionsOpen).toBe(0);
    expect(proxy.cut()).toBe(0);

    const refusedError = await new Promise<string>((resolve) => {
      const probe = net.connect({ host: '127.0.0.1', port: proxy.port });
      probe.on('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refusedError).toBe('ECONNREFUSED');
  });

  it('leaves nothing that keeps the process alive after close (child process exits on its own)', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/exit-after-close.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    cleanups.push(() => void child.kill('SIGKILL'));
    const code = await Promise.race([
      new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c))),
      delay(8000).then(() => 'timeout' as const),
    ]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^closed .*"connectionsOpen":0/);
  });
});
