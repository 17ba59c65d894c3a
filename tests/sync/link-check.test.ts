/**
 * The link check (main/sync/link-check.ts) against the emulator, through the fault proxy, and against things that
 * are not an AMQP broker.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConnectionString } from '../../main/sync/config';
import { brokerAddress, brokerAnswers } from '../../main/sync/link-check';
import { startFaultProxy } from '../../tools/net-fault-proxy/proxy';
import { startBus } from '../support/bus';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const local = (port: number) => ({ host: '127.0.0.1', port, tls: false });

/** A TCP server on loopback that does `onConnection` with each socket. */
async function server(onConnection: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    onConnection(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  );
  return (srv.address() as net.AddressInfo).port;
}

describe('brokerAddress', () => {
  const parsed = (cs: string) => {
    const p = parseConnectionString(cs);
    if (!p.ok) throw new Error(p.error);
    return p.value;
  };
  it('connects where the SDK does: TLS on 5671 for a namespace, plain TCP on 5672 (or the given port) for the emulator', () => {
    expect(
      brokerAddress(parsed('Endpoint=sb://venue.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s')),
    ).toEqual({ host: 'venue.servicebus.windows.net', port: 5671, tls: true });
    expect(
      brokerAddress(
        parsed('Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=s;UseDevelopmentEmulator=true'),
      ),
    ).toEqual({ host: 'localhost', port: 5672, tls: false });
    expect(
      brokerAddress(
        parsed('Endpoint=sb://127.0.0.1:6000/;SharedAccessKeyName=k;SharedAccessKey=s;UseDevelopmentEmulator=true'),
      ),
    ).toEqual({ host: '127.0.0.1', port: 6000, tls: false });
  });
});

describe('brokerAnswers', () => {
  it('is true for the emulator, directly and through a healthy proxy; false while the proxy refuses or swallows bytes', async () => {
    const bus = await startBus(['desk-a']);
    cleanups.push(() => bus.stop());
    const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: bus.port });
    cleanups.push(() => proxy.close());
    expect(await brokerAnswers(local(bus.port))).toBe(true);
    expect(await brokerAnswers(local(proxy.port))).toBe(true);
    proxy.refuse(true); // accepted, then reset: a link that drops everything
    expect(await brokerAnswers(local(proxy.port))).toBe(false);
    proxy.heal();
    proxy.blackhole(true); // accepted, every byte swallowed: only the timeout ends it
    const t0 = performance.now();
    expect(await brokerAnswers(local(proxy.port), 300)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    proxy.heal();
    expect(await brokerAnswers(local(proxy.port))).toBe(true);
  });

  it('is false for a closed port, a server that closes at once, and one that answers something other than AMQP', async () => {
    const closed = await server(() => {});
    await cleanups.pop()!(); // the port is free again: connections are refused
    expect(await brokerAnswers(local(closed))).toBe(false);
    expect(await brokerAnswers(local(await server((s) => s.end())))).toBe(false);
    expect(await brokerAnswers(local(await server((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'))))).toBe(false);
  });
});
