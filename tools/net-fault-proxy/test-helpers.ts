// Shared by the proxy tests: a real loopback echo server and small bounded waiting helpers.
// Every wait has a deadline so a broken proxy fails a test instead of hanging it.
import net from 'node:net';

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a condition until it holds or the deadline passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs = 2000, stepMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await delay(stepMs);
  }
  return condition();
}

export interface EchoServer {
  port: number;
  /** Server-side sockets still open, so tests can see what the target side experienced. */
  sockets: Set<net.Socket>;
  /** Total bytes the target received. */
  received(): number;
  accepted(): number;
  close(): Promise<void>;
}

/** Echoes everything; with a greeting it also speaks first, to exercise target→client on its own. */
export async function startEchoServer(greeting?: string): Promise<EchoServer> {
  const sockets = new Set<net.Socket>();
  let received = 0;
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    if (greeting) socket.write(greeting);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    received: () => received,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening on it (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Client {
  socket: net.Socket;
  text(): string;
  bytes(): number;
  closed(): boolean;
  ended(): boolean;
  /** Resolves true once the received text contains `needle`, false at the deadline. */
  waitFor(needle: string, timeoutMs?: number): Promise<boolean>;
  waitClosed(timeoutMs?: number): Promise<boolean>;
}

export function client(port: number): Client {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const chunks: Buffer[] = [];
  let size = 0;
  let closed = false;
  let ended = false;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  socket.on('end', () => {
    ended = true;
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    closed = true;
  });
  const text = (): string => Buffer.concat(chunks).toString('utf8');
  return {
    socket,
    text,
    bytes: () => size,
    closed: () => closed,
    ended: () => ended,
    waitFor: (needle, timeoutMs = 2000) => waitUntil(() => text().includes(needle), timeoutMs),
    waitClosed: (timeoutMs = 2000) => waitUntil(() => closed, timeoutMs),
  };
}

/** Connects and waits for the TCP handshake (the proxy accepts even in blackhole mode). */
export async function connected(port: number, timeoutMs = 2000): Promise<Client> {
  const c = client(port);
  const ok = await Promise.race([
    new Promise<boolean>((resolve) => c.socket.once('connect', () => resolve(true))),
    delay(timeoutMs).then(() => false),
  ]);
  if (!ok) throw new Error(`no connection to port ${port} within ${timeoutMs} ms`);
  return c;
}

/** Time for one small echo round trip through `c`. */
export async function roundTrip(c: Client, tag: string, timeoutMs = 3000): Promise<number> {
  const started = performance.now();
  c.socket.write(tag);
  if (!(await c.waitFor(tag, timeoutMs))) throw new Error(`no echo of ${tag} within ${timeoutMs} ms`);
  return performance.now() - started;
}
