// A TCP fault-injection proxy for tests and the demo: it sits between the Service Bus SDK and the
// local AMQP emulator on loopback and simulates what venue networks do (drops, dead links, lag).
//
// Design notes (the "why"):
// - Each direction of each connection is a Pipe with its own FIFO queue and at most one timer, so
//   latency/jitter can delay chunks without reordering them (a chunk is never due before the one
//   ahead of it).
// - Blackhole discards bytes instead of buffering them. A TCP byte stream with a hole in it is
//   garbage to the peer (an AMQP frame parser would choke), so a connection that has lost bytes is
//   "tainted": it stays dark (discarding, held open) even after heal. That mirrors a real dead path
//   (e.g. a NAT entry lost on a venue router): the SDK has to notice and reconnect, and new
//   connections after heal work normally.
// - While a connection is dark, closes are not propagated either: a FIN or RST that crosses a
//   blackhole never arrives, so the far side is held open.
import net from 'node:net';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { z } from 'zod';

export type FlapMode = 'cut' | 'blackhole';

export interface FlapOptions {
  upMs: number;
  downMs: number;
  /** Number of up→down→up cycles; omitted = until stopFlap()/heal()/close(). */
  cycles?: number;
  /** cut: at each down phase destroy live connections and refuse new ones; blackhole: go dark. */
  mode: FlapMode;
}

export interface FlapState {
  mode: FlapMode;
  upMs: number;
  downMs: number;
  cycles: number | null;
  /** 1-based index of the current cycle. */
  cycle: number;
  phase: 'up' | 'down';
}

/** A one-word summary for logs; the other fields carry the detail (refuse wins over blackhole). */
export type ProxyMode = 'forward' | 'latency' | 'blackhole' | 'refuse' | 'closed';

export interface ProxyState {
  mode: ProxyMode;
  /** Effective values, i.e. including what a running flap currently imposes. */
  blackhole: boolean;
  refuse: boolean;
  latencyMs: number;
  jitterMs: number;
  flap: FlapState | null;
}

export interface ProxyStats {
  /** Proxied connections with at least one side still open. */
  connectionsOpen: number;
  /** Connections accepted for proxying (refused ones are counted in connectionsRefused only). */
  connectionsTotal: number;
  connectionsRefused: number;
  /** Bytes actually written client→target / target→client; discarded bytes are in bytesDropped. */
  bytesUp: number;
  bytesDown: number;
  bytesDropped: number;
}

export interface FaultProxyOptions {
  listenHost?: string;
  listenPort?: number;
  targetHost: string;
  targetPort: number;
}

export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** Destroy every open connection now (both sides, with RST where possible). Returns how many. */
  cut(): number;
  blackhole(on: boolean): void;
  setLatency(ms: number, jitterMs?: number): void;
  refuse(on: boolean): void;
  flap(options: FlapOptions): void;
  stopFlap(): void;
  heal(): void;
  stats(): ProxyStats;
  readonly state$: Observable<ProxyState>;
  /** The current state, synchronously (state$ replays it too). */
  state(): ProxyState;
  close(): Promise<void>;
}

/** Loopback only: this tool must never become an open relay on a venue network. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return net.isIPv4(host) && host.startsWith('127.');
}

const loopbackHost = z.string().refine(isLoopbackHost, {
  error: 'must be a loopback address (127.x.x.x, ::1 or localhost)',
});
const port = z.number().int().min(0).max(65535);

const OptionsSchema = z.object({
  listenHost: loopbackHost.default('127.0.0.1'),
  listenPort: port.default(0),
  targetHost: loopbackHost,
  targetPort: port.min(1),
});

const FlapSchema = z.object({
  upMs: z.number().int().positive(),
  downMs: z.number().int().positive(),
  cycles: z.number().int().positive().optional(),
  mode: z.enum(['cut', 'blackhole']),
});

const LatencySchema = z.object({
  ms: z.number().finite().min(0),
  jitterMs: z.number().finite().min(0),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new RangeError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

type Direction = 'up' | 'down';
type Item = Buffer | 'eof' | 'close';

interface Pipe {
  queue: Array<{ due: number; item: Item }>;
  lastDue: number;
  timer: NodeJS.Timeout | null;
}

interface Conn {
  client: net.Socket;
  upstream: net.Socket;
  pipes: Record<Direction, Pipe>;
  /** Bytes (or a FIN/close) were discarded: the stream is broken for good, stay dark. */
  tainted: boolean;
  /** Forgotten (cut, closed or both sides gone): late events must not touch stats or timers. */
  done: boolean;
}

const newPipe = (): Pipe => ({ queue: [], lastDue: 0, timer: null });

/** RST rather than FIN: a venue link dying looks like a reset to the SDK, not a polite close. */
function resetSocket(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (!socket.connecting) {
    try {
      socket.resetAndDestroy();
    } catch {
      // Not a TCP handle (should not happen); a plain destroy below still releases it.
    }
  }
  // resetAndDestroy is a no-op without a handle, and a connecting socket cannot be reset yet.
  if (!socket.destroyed) socket.destroy();
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const opts = parseOrThrow(OptionsSchema, options, 'startFaultProxy');

  let blackholeOn = false;
  let refuseOn = false;
  let latencyMs = 0;
  let jitterMs = 0;
  let flap: { opts: FlapOptions; cycle: number; phase: 'up' | 'down'; timer: NodeJS.Timeout | null } | null = null;
  let closed = false;
  let closing: Promise<void> | null = null;

  const conns = new Set<Conn>();
  const counters = { connectionsTotal: 0, connectionsRefused: 0, bytesUp: 0, bytesDown: 0, bytesDropped: 0 };

  const flapDown = (mode: FlapMode): boolean => flap !== null && flap.phase === 'down' && flap.opts.mode === mode;
  const effectiveBlackhole = (): boolean => blackholeOn || flapDown('blackhole');
  const effectiveRefuse = (): boolean => refuseOn || flapDown('cut');
  const isDark = (conn: Conn): boolean => conn.tainted || effectiveBlackhole();

  const snapshot = (): ProxyState => {
    const bh = effectiveBlackhole();
    const rf = effectiveRefuse();
    let mode: ProxyMode = 'forward';
    if (closed) mode = 'closed';
    else if (rf) mode = 'refuse';
    else if (bh) mode = 'blackhole';
    else if (latencyMs > 0 || jitterMs > 0) mode = 'latency';
    return {
      mode,
      blackhole: bh,
      refuse: rf,
      latencyMs,
      jitterMs,
      flap: flap
        ? {
            mode: flap.opts.mode,
            upMs: flap.opts.upMs,
            downMs: flap.opts.downMs,
            cycles: flap.opts.cycles ?? null,
            cycle: flap.cycle,
            phase: flap.phase,
          }
        : null,
    };
  };

  const subject = new BehaviorSubject<ProxyState>(snapshot());
  const publish = (): void => subject.next(snapshot());
  // Setters may be called with unchanged values (e.g. "blackhole off" twice); only real changes are news.
  const state$ = subject.pipe(distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)));

  const sampleDelay = (): number => {
    if (latencyMs === 0 && jitterMs === 0) return 0;
    const jitter = jitterMs > 0 ? (Math.random() * 2 - 1) * jitterMs : 0;
    return Math.max(0, latencyMs + jitter);
  };

  const clearPipes = (conn: Conn): void => {
    for (const pipe of Object.values(conn.pipes)) {
      if (pipe.timer) clearTimeout(pipe.timer);
      pipe.timer = null;
      pipe.queue.length = 0;
    }
  };

  // Forget a connection; the sockets are either already closed or being destroyed by the caller.
  const finalize = (conn: Conn): void => {
    if (conn.done) return;
    conn.done = true;
    clearPipes(conn);
    conns.delete(conn);
  };

  const teardown = (conn: Conn): void => {
    finalize(conn);
    resetSocket(conn.client);
    resetSocket(conn.upstream);
  };

  const discard = (conn: Conn, item: Item): void => {
    conn.tainted = true;
    if (Buffer.isBuffer(item)) counters.bytesDropped += item.length;
  };

  const deliver = (conn: Conn, dir: Direction, item: Item): void => {
    if (isDark(conn)) {
      discard(conn, item);
      return;
    }
    const src = dir === 'up' ? conn.client : conn.upstream;
    const dst = dir === 'up' ? conn.upstream : conn.client;
    if (dst.destroyed) {
      if (Buffer.isBuffer(item)) counters.bytesDropped += item.length;
      return;
    }
    if (item === 'close') {
      // The source is fully gone: finish writing what we have, then close the far side too.
      dst.destroySoon();
    } else if (dst.writableEnded) {
      if (Buffer.isBuffer(item)) counters.bytesDropped += item.length;
    } else if (item === 'eof') {
      dst.end();
    } else {
      const flushed = dst.write(item);
      if (dir === 'up') counters.bytesUp += item.length;
      else counters.bytesDown += item.length;
      if (!flushed && !src.isPaused()) {
        src.pause();
        dst.once('drain', () => src.resume());
      }
    }
  };

  const flush = (conn: Conn, dir: Direction): void => {
    const pipe = conn.pipes[dir];
    pipe.timer = null;
    const now = Date.now();
    while (pipe.queue.length > 0 && pipe.queue[0]!.due <= now && !conn.done) {
      deliver(conn, dir, pipe.queue.shift()!.item);
    }
    const head = pipe.queue[0];
    if (head && !conn.done) pipe.timer = setTimeout(() => flush(conn, dir), Math.max(0, head.due - now));
  };

  const push = (conn: Conn, dir: Direction, item: Item): void => {
    if (conn.done) return;
    const pipe = conn.pipes[dir];
    const delay = sampleDelay();
    if (delay === 0 && pipe.queue.length === 0) {
      deliver(conn, dir, item);
      return;
    }
    // Never due before the chunk ahead of it: jitter must not reorder a byte stream.
    const due = Math.max(pipe.lastDue, Date.now() + delay);
    pipe.lastDue = due;
    pipe.queue.push({ due, item });
    if (!pipe.timer) pipe.timer = setTimeout(() => flush(conn, dir), Math.max(0, due - Date.now()));
  };

  const cutAll = (): number => {
    const victims = [...conns];
    for (const conn of victims) teardown(conn);
    return victims.length;
  };

  const server = net.createServer({ allowHalfOpen: true });

  server.on('connection', (client) => {
    client.on('error', () => {
      // Resets from the client are expected here; 'close' does the bookkeeping.
    });
    if (closed || effectiveRefuse()) {
      counters.connectionsRefused += 1;
      resetSocket(client);
      return;
    }
    counters.connectionsTotal += 1;
    const upstream = net.connect({ host: opts.targetHost, port: opts.targetPort, allowHalfOpen: true });
    upstream.on('error', () => {
      // ECONNREFUSED/ECONNRESET from the target: surfaced to the client via 'close' below.
    });
    // Small AMQP frames must not sit in Nagle's buffer, or latency measurements get muddy.
    client.setNoDelay(true);
    upstream.setNoDelay(true);

    const conn: Conn = { client, upstream, pipes: { up: newPipe(), down: newPipe() }, tainted: false, done: false };
    conns.add(conn);

    const wire = (side: net.Socket, other: net.Socket, dir: Direction): void => {
      side.on('data', (chunk: Buffer) => push(conn, dir, chunk));
      side.on('end', () => push(conn, dir, 'eof'));
      side.on('close', (hadError) => {
        if (other.destroyed) {
          finalize(conn);
          return;
        }
        if (conn.done) return;
        if (isDark(conn)) {
          // The far side never hears about it, just like a FIN lost in a blackhole.
          conn.tainted = true;
          return;
        }
        if (hadError) {
          resetSocket(other);
          return;
        }
        push(conn, dir, 'close');
      });
    };
    wire(client, upstream, 'up');
    wire(upstream, client, 'down');
  });

  server.on('error', () => {
    // Accept-time errors (e.g. EMFILE) must not crash a test run; the listener keeps going.
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort, opts.listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  const stopFlapInternal = (): void => {
    if (!flap) return;
    if (flap.timer) clearTimeout(flap.timer);
    flap = null;
  };

  const goDown = (): void => {
    if (!flap) return;
    flap.phase = 'down';
    publish();
    if (flap.opts.mode === 'cut') cutAll();
    flap.timer = setTimeout(goUp, flap.opts.downMs);
  };

  function goUp(): void {
    if (!flap) return;
    if (flap.opts.cycles !== undefined && flap.cycle >= flap.opts.cycles) {
      stopFlapInternal();
      publish();
      return;
    }
    flap.cycle += 1;
    flap.phase = 'up';
    publish();
    flap.timer = setTimeout(goDown, flap.opts.upMs);
  }

  const proxy: FaultProxy = {
    host: address.address,
    port: address.port,
    state$,
    state: snapshot,
    cut: () => (closed ? 0 : cutAll()),
    blackhole(on) {
      if (closed) return;
      blackholeOn = on;
      publish();
    },
    refuse(on) {
      if (closed) return;
      refuseOn = on;
      publish();
    },
    setLatency(ms, jitter = 0) {
      const parsed = parseOrThrow(LatencySchema, { ms, jitterMs: jitter }, 'setLatency');
      if (closed) return;
      latencyMs = parsed.ms;
      jitterMs = parsed.jitterMs;
      publish();
    },
    flap(flapOptions) {
      const parsed = parseOrThrow(FlapSchema, flapOptions, 'flap');
      if (closed) return;
      stopFlapInternal();
      // Cycles start "up" so live connections get upMs of normal service before the first failure.
      flap = { opts: parsed, cycle: 1, phase: 'up', timer: null };
      publish();
      flap.timer = setTimeout(goDown, parsed.upMs);
    },
    stopFlap() {
      if (closed) return;
      stopFlapInternal();
      publish();
    },
    heal() {
      if (closed) return;
      blackholeOn = false;
      refuseOn = false;
      latencyMs = 0;
      jitterMs = 0;
      stopFlapInternal();
      publish();
    },
    stats: () => ({ connectionsOpen: conns.size, ...counters }),
    close() {
      if (closing) return closing;
      closed = true;
      stopFlapInternal();
      cutAll();
      publish();
      subject.complete();
      closing = new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
  return proxy;
}
