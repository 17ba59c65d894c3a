/**
 * Nagle's algorithm off on the station's AMQP socket (main/sync/service-bus.ts `noNagle`): the SDK has no option for
 * it, so `noNagle` reaches the socket through the client's internals. These tests hold the SDK version in use to
 * the path it takes, with the real SDK against the emulator.
 */
import net from 'node:net';
import { ServiceBusClient } from '@azure/service-bus';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSyncConfig } from '../../main/sync/config';
import { noNagle, openStationBus } from '../../main/sync/service-bus';
import { startBus } from '../support/bus';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The sockets `setNoDelay` was called on that connect to the broker (the emulator's own, in this process, also call it). */
const clientSockets = (set: { mock: { contexts: unknown[]; calls: unknown[][] } }, port: number) =>
  set.mock.contexts
    .map((s, i) => ({ socket: s as net.Socket, on: set.mock.calls[i]![0] }))
    .filter((c) => c.socket.remotePort === port);

/** Node keeps a socket's TCP_NODELAY setting under this symbol (it has no getter). */
const noDelayOf = (socket: net.Socket) =>
  (socket as unknown as Record<symbol, unknown>)[
    Object.getOwnPropertySymbols(socket).find((s) => s.description === 'kSetNoDelay')!
  ];

describe('noNagle', () => {
  it('finds the connection’s socket once it is open, and turns Nagle off on it', async () => {
    const bus = await startBus(['desk-a']);
    cleanups.push(() => bus.stop());
    const client = new ServiceBusClient(bus.connectionString);
    cleanups.push(() => client.close());
    expect(noNagle(client)).toBe(false); // no connection yet: nothing to do
    const set = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    await client.createSender('station-events').createMessageBatch();
    expect(clientSockets(set, bus.port)).toEqual([]); // the SDK leaves Nagle on by itself
    expect(noNagle(client)).toBe(true);
    const [call] = clientSockets(set, bus.port);
    expect(call?.on).toBe(true);
    expect(noDelayOf(call!.socket)).toBe(true);
  });

  it('the station’s bus has it off from its probe on (the first thing it does on every connection), and sends', async () => {
    const bus = await startBus(['desk-a']);
    cleanups.push(() => bus.stop());
    const config = parseSyncConfig({ connectionString: bus.connectionString });
    if (!config.ok) throw new Error(config.error);
    const set = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const station = openStationBus(config.value, 'desk-a');
    cleanups.push(() => station.close());
    await station.probe();
    const calls = clientSockets(set, bus.port);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.on === true && noDelayOf(c.socket) === true)).toBe(true);
    const batch = await station.sender.createMessageBatch();
    expect(batch.tryAddMessage({ body: 'x', messageId: 'm-1' })).toBe(true);
    await station.sender.sendMessages(batch);
  });
});
