/**
 * AMQP 1.0 on rhea: accepts TCP connections, guards the framing against hostile peers, and maps links to the
 * broker — client senders to queues/topics, client receivers to queues/subscriptions/DLQs (optionally a
 * session), and the `$cbs` and `<entity>/$management` request/response nodes.
 */
import net from 'node:net';
import rhea from 'rhea';
import type { Connection, Delivery, EventContext, Message, Receiver, Sender } from 'rhea';
import { BrokerError, bytesToUuid, NOT_ALLOWED, NOT_FOUND, reorderGuid } from './broker';
import type { Broker, Outcome, SettleOptions } from './broker';
import { Authenticator, AuthError, ClaimSet } from './cbs';
import { BATCH_FORMAT, CodecError, encodeDecoded, parseMessage, splitBatch } from './codec';
import type { ParsedMessage } from './codec';
import type { Consumer, Group, Receivable, Sendable } from './entity';
import { handleManagement } from './management';

const { types } = rhea;
/** Outcome constructors; present at runtime but missing from rhea's typings. */
const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown };
  rejected(o: { error: { condition: string; description: string } }): { described(): unknown };
};

const SESSION_FILTER = 'com.microsoft:session-filter';
const LOCKED_UNTIL = 'com.microsoft:locked-until-utc';
const TIMEOUT_PROPERTY = 'com.microsoft:timeout';
/** .NET ticks at the Unix epoch: the session lock expiry is sent in ticks. */
const EPOCH_TICKS = 621355968000000000n;

export interface ServerOptions {
  /** Largest message the broker accepts (Standard tier: 256 KiB). Sent as the link's max-message-size. */
  maxMessageSize: number;
  /** Largest AMQP frame the broker accepts; bigger frames close the connection. */
  maxFrameSize: number;
  log: (line: string) => void;
}

type Role =
  | { kind: 'cbs' }
  | { kind: 'management'; entity: string }
  | { kind: 'send'; target: Sendable }
  | { kind: 'reply' }
  | { kind: 'consume'; consumer: RheaConsumer };

interface ConnState {
  claims: ClaimSet;
  replyLinks: Map<string, Sender>;
  consumers: Set<RheaConsumer>;
}

class RheaConsumer implements Consumer {
  group: Group | null = null;
  closed = false;
  /** A session attach that is waiting for a session to become available. */
  waiting: NodeJS.Timeout | null = null;
  constructor(
    readonly id: number,
    readonly receivable: Receivable,
    readonly mode: 'peekLock' | 'receiveAndDelete',
    readonly link: Sender,
  ) {}
  canSend(): boolean {
    return !this.closed && this.link.is_open() && this.link.sendable();
  }
  send(bytes: Buffer, tag: Buffer, settled: boolean): unknown {
    const d = this.link.send(bytes, tag, 0);
    if (settled) (d as { settled: boolean }).settled = true;
    return d;
  }
  fail(condition: string, description: string): void {
    this.closed = true;
    if (this.link.is_open()) this.link.close({ condition, description });
  }
}

/** A refused attach answers with a null source (receiving side) or target (sending side), then detaches. */
function clearTerminus(link: Sender | Receiver, which: 'source' | 'target'): void {
  (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach[which] = null;
}

function ticks(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(ms) * 10000n + EPOCH_TICKS);
  return b;
}

/** Frame guard: reads only frame sizes; a frame announced bigger than allowed (or smaller than a frame
 * header) closes the socket before rhea tries to buffer it. */
function guardFrames(socket: net.Socket, maxFrameSize: number, onViolation: (why: string) => void): void {
  let head: Buffer = Buffer.alloc(0);
  let skip = 0;
  socket.on('data', (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const take = chunk.subarray(i, i + (4 - head.length));
      head = head.length ? Buffer.concat([head, take]) : take;
      i += take.length;
      if (head.length < 4) return;
      if (head.toString('latin1') === 'AMQP') {
        skip = 4; // protocol header: "AMQP" + id + major + minor + revision
      } else {
        const size = head.readUInt32BE(0);
        if (size < 8 || size > maxFrameSize) {
          onViolation(`frame of ${size} bytes (limit ${maxFrameSize})`);
          socket.destroy();
          return;
        }
        skip = size - 4;
      }
      head = Buffer.alloc(0);
    }
  });
}

export class AmqpServer {
  private readonly container = rhea.create_container({
    id: 'lanyard-servicebus-emulator',
    // The broker decides every outcome itself; nothing may be accepted or settled behind its back.
    autoaccept: false,
    autosettle: false,
    treat_modified_as_released: false,
  });
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly conns = new WeakMap<Connection, ConnState>();
  private readonly roles = new WeakMap<object, Role>();
  private readonly auth: Authenticator;
  private nextConsumerId = 1;

  constructor(
    private readonly broker: Broker,
    private readonly opts: ServerOptions,
  ) {
    this.auth = new Authenticator(broker.config);
    const c = this.container;
    c.on('sender_open', (ctx: EventContext) => this.guard(ctx, () => this.onSenderOpen(ctx)));
    c.on('receiver_open', (ctx: EventContext) => this.guard(ctx, () => this.onReceiverOpen(ctx)));
    c.on('message', (ctx: EventContext) => this.guard(ctx, () => this.onMessage(ctx)));
    c.on('accepted', (ctx: EventContext) => this.guard(ctx, () => this.onOutcome(ctx)));
    c.on('rejected', (ctx: EventContext) => this.guard(ctx, () => this.onOutcome(ctx)));
    c.on('modified', (ctx: EventContext) => this.guard(ctx, () => this.onOutcome(ctx)));
    c.on('released', (ctx: EventContext) => this.guard(ctx, () => this.onOutcome(ctx)));
    c.on('sendable', (ctx: EventContext) => this.guard(ctx, () => this.onSendable(ctx)));
    c.on('sender_draining', (ctx: EventContext) => this.guard(ctx, () => this.onDraining(ctx)));
    c.on('sender_close', (ctx: EventContext) => this.onLinkClosed(ctx.sender));
    c.on('receiver_close', () => {});
    c.on('session_close', (ctx: EventContext) => this.onSessionClosed(ctx));
    c.on('connection_close', (ctx: EventContext) => this.onConnectionGone(ctx.connection));
    c.on('disconnected', (ctx: EventContext) => this.onConnectionGone(ctx.connection));
    // A misbehaving peer must never take the process down: log and let rhea close that connection.
    c.on('error', (e: unknown) => this.opts.log(`connection error: ${String((e as Error)?.message ?? e)}`));
    c.on('protocol_error', (e: unknown) => this.opts.log(`protocol error: ${String((e as Error)?.message ?? e)}`));
    c.on('connection_error', () => {});
    c.on('sender_error', () => {});
    c.on('receiver_error', () => {});
    c.on('session_error', () => {});

    this.server = net.createServer((socket) => {
      this.sockets.add(socket);
      // No Nagle: a broker answers with many small frames (dispositions, flow, transfers); batching them behind
      // the peer's delayed ACK adds ~40-90 ms to a round trip once a receiver holds more than a couple of credits.
      socket.setNoDelay(true);
      let ended = false;
      socket.on('end', () => (ended = true));
      socket.on('error', () => (ended = true)); // rhea treats an error as the end of the connection
      socket.on('close', () => {
        this.sockets.delete(socket);
        // rhea learns that a connection is gone from 'end' or 'error' only; a socket destroyed by us (stop, or a
        // guarded frame) emits neither, and rhea would keep the connection's 240 s heartbeat timer running.
        if (!ended) socket.emit('end');
      });
      guardFrames(socket, opts.maxFrameSize, (why) =>
        opts.log(`closing connection from ${socket.remoteAddress}: ${why}`),
      );
      const conn = this.container.create_connection({
        // rhea's typings know only client options; these are the open-frame fields a server announces.
        max_frame_size: opts.maxFrameSize,
        channel_max: 4095,
        idle_time_out: 120_000,
        container_id: 'lanyard-servicebus-emulator',
      } as never) as unknown as { accept(s: net.Socket): void };
      conn.accept(socket);
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /** Runs an event handler; an unexpected exception closes only the offending connection. */
  private guard(ctx: EventContext, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.log(`closing a connection after an internal error: ${(e as Error).stack ?? String(e)}`);
      try {
        ctx.connection.close({ condition: 'amqp:internal-error', description: (e as Error).message });
      } catch {
        // already closing
      }
    }
  }

  private state(conn: Connection): ConnState {
    let s = this.conns.get(conn);
    if (!s) {
      s = { claims: new ClaimSet(this.auth), replyLinks: new Map(), consumers: new Set() };
      this.conns.set(conn, s);
    }
    return s;
  }

  private refuse(link: Sender | Receiver, condition: string, description: string): void {
    link.close({ condition, description });
  }

  // ---- link attach -------------------------------------------------------------------------------------------

  /** The client attached a receiver: we send on this link. */
  private onSenderOpen(ctx: EventContext): void {
    const link = ctx.sender!;
    const st = this.state(ctx.connection);
    const source = (link.source ?? {}) as { address?: string; filter?: Record<string, unknown> };
    const address = source.address ?? '';
    const remoteTarget = (link.target ?? {}) as { address?: string };
    link.set_target({ address: remoteTarget.address ?? '' });

    if (address === '$cbs' || address.endsWith('/$management')) {
      link.set_source({ address });
      // Replies are pre-settled: the request/response pattern has no use for acknowledgements of replies.
      (link as unknown as { local: { attach: { snd_settle_mode: number } } }).local.attach.snd_settle_mode = 1;
      st.replyLinks.set(link.name, link);
      if (remoteTarget.address) st.replyLinks.set(remoteTarget.address, link);
      this.roles.set(link, { kind: 'reply' });
      return;
    }
    const r = this.broker.receivable(address);
    if (!r) {
      clearTerminus(link, 'source');
      this.refuse(link, NOT_FOUND, `The messaging entity '${address}' could not be found.`);
      return;
    }
    if (!st.claims.allows(r.key, 'Listen')) {
      clearTerminus(link, 'source');
      this.refuse(
        link,
        'amqp:unauthorized-access',
        `Unauthorized access. 'Listen' claim(s) are required to perform this operation on '${r.path}'.`,
      );
      return;
    }
    const local = (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach;
    local.snd_settle_mode = link.snd_settle_mode;
    local.rcv_settle_mode = (link as unknown as { rcv_settle_mode: number }).rcv_settle_mode;
    const mode = link.snd_settle_mode === 1 ? 'receiveAndDelete' : 'peekLock';
    const consumer = new RheaConsumer(this.nextConsumerId++, r, mode, link);
    const filter = source.filter ?? {};
    const wantsSession = Object.prototype.hasOwnProperty.call(filter, SESSION_FILTER);

    if (!wantsSession) {
      if (r.sessionful) {
        clearTerminus(link, 'source');
        this.refuse(
          link,
          NOT_ALLOWED,
          `It is not possible for an entity that requires sessions to create a non-sessionful message receiver ('${r.path}').`,
        );
        return;
      }
      link.set_source({ address });
      this.roles.set(link, { kind: 'consume', consumer });
      st.consumers.add(consumer);
      this.broker.attach(consumer);
      return;
    }

    const raw = filter[SESSION_FILTER];
    const sessionId = typeof raw === 'string' ? raw : raw === null || raw === undefined ? null : String(raw);
    let group: Group | null;
    try {
      group = this.broker.acceptSession(r, consumer, sessionId);
    } catch (e) {
      if (!(e instanceof BrokerError)) throw e;
      clearTerminus(link, 'source');
      this.refuse(link, e.condition, e.message);
      return;
    }
    this.roles.set(link, { kind: 'consume', consumer });
    st.consumers.add(consumer);
    if (group) {
      this.completeSessionAttach(link, address, group);
      this.broker.attach(consumer);
      return;
    }
    // No session available yet: hold the attach (like the real service) until one is, or until the timeout the
    // client announced, then answer with an error the SDK reports as a timeout.
    const state = (link as unknown as { state: { local_open: boolean; open_requests: number } }).state;
    state.local_open = false;
    state.open_requests = 0;
    const props = ((link as unknown as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
      string,
      unknown
    >;
    const requested = typeof props[TIMEOUT_PROPERTY] === 'number' ? (props[TIMEOUT_PROPERTY] as number) : 60_000;
    const waitMs = Math.max(0, Math.min(requested, 60_000) - 250);
    this.broker.waitForSession(r, consumer, (g) => {
      if (consumer.waiting) clearTimeout(consumer.waiting);
      consumer.waiting = null;
      this.completeSessionAttach(link, address, g);
      link.open();
      this.broker.attach(consumer);
    });
    consumer.waiting = setTimeout(() => {
      consumer.waiting = null;
      this.broker.cancelWait(r, consumer);
      consumer.closed = true;
      st.consumers.delete(consumer);
      clearTerminus(link, 'source');
      link.open();
      this.refuse(
        link,
        'com.microsoft:timeout',
        `No unlocked session became available in '${r.path}' within ${waitMs} ms.`,
      );
    }, waitMs);
    this.broker.pump(r);
  }

  private completeSessionAttach(link: Sender, address: string, g: Group): void {
    link.set_source({ address, filter: { [SESSION_FILTER]: g.sessionId } });
    const local = (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach;
    local.properties = { [LOCKED_UNTIL]: types.wrap_long(ticks(g.lockedUntil)) };
  }

  /** The client attached a sender: we receive on this link. */
  private onReceiverOpen(ctx: EventContext): void {
    const link = ctx.receiver!;
    const st = this.state(ctx.connection);
    const target = (link.target ?? {}) as { address?: string };
    const address = target.address ?? '';
    const remoteSource = (link.source ?? {}) as { address?: string };
    link.set_source({ address: remoteSource.address ?? '' });
    if (address === '$cbs') {
      link.set_target({ address });
      this.roles.set(link, { kind: 'cbs' });
      return;
    }
    if (address.endsWith('/$management')) {
      const entity = address.slice(0, -'/$management'.length);
      link.set_target({ address });
      if (!st.claims.allows(entity, 'Send') && !st.claims.allows(entity, 'Listen')) {
        this.refuse(link, 'amqp:unauthorized-access', `Unauthorized access to '${entity}/$management'.`);
        return;
      }
      this.roles.set(link, { kind: 'management', entity });
      return;
    }
    const s = this.broker.sendable(address);
    if (!s) {
      clearTerminus(link, 'target');
      this.refuse(link, NOT_FOUND, `The messaging entity '${address}' could not be found.`);
      return;
    }
    if (!st.claims.allows(s.key, 'Send')) {
      clearTerminus(link, 'target');
      this.refuse(
        link,
        'amqp:unauthorized-access',
        `Unauthorized access. 'Send' claim(s) are required to perform this operation on '${s.name}'.`,
      );
      return;
    }
    link.set_target({ address });
    // A plain number: rhea encodes it as the ulong the SDK reads back as its batch size limit.
    (link as unknown as { local: { attach: Record<string, unknown> } }).local.attach.max_message_size =
      this.opts.maxMessageSize;
    this.roles.set(link, { kind: 'send', target: s });
  }

  // ---- incoming transfers ------------------------------------------------------------------------------------

  private onMessage(ctx: EventContext): void {
    const link = ctx.receiver!;
    const delivery = ctx.delivery!;
    const role = this.roles.get(link);
    if (!role) {
      delivery.reject({ condition: NOT_ALLOWED, description: 'this link does not accept messages' });
      return;
    }
    if (role.kind === 'send') return this.onSend(role.target, ctx, delivery);
    const msg = ctx.message as Message;
    delivery.accept();
    const st = this.state(ctx.connection);
    if (role.kind === 'cbs') return this.onPutToken(st, msg);
    if (role.kind === 'management') {
      const props = (msg.application_properties ?? {}) as Record<string, unknown>;
      const reply = handleManagement(this.broker, st.claims, role.entity, String(props.operation ?? ''), msg.body);
      this.broker.onCommit((err) => {
        const ok = !err || reply.status >= 300;
        const appProps: Record<string, unknown> = {
          statusCode: ok ? reply.status : 500,
          statusDescription: ok ? (reply.description ?? (reply.status < 300 ? 'OK' : 'Error')) : err!.message,
        };
        if (ok && reply.condition) appProps.errorCondition = reply.condition;
        this.reply(st, msg, appProps, ok && reply.status < 300 ? reply.body : undefined);
      });
    }
  }

  private onSend(target: Sendable, ctx: EventContext, delivery: Delivery): void {
    const reject = (condition: string, description: string): void => delivery.reject({ condition, description });
    const format = (ctx as unknown as { format?: number }).format ?? 0;
    let parsed: ParsedMessage[];
    try {
      const raw = format === BATCH_FORMAT ? splitBatch(ctx.message as unknown as Buffer) : [encodeDecoded(ctx.message)];
      for (const b of raw) {
        if (b.length > this.opts.maxMessageSize) {
          return reject(
            'amqp:link:message-size-exceeded',
            `The message of ${b.length} bytes exceeds the limit of ${this.opts.maxMessageSize} bytes.`,
          );
        }
      }
      parsed = raw.map(parseMessage);
    } catch (e) {
      if (e instanceof CodecError || e instanceof TypeError || e instanceof RangeError)
        return reject('amqp:decode-error', (e as Error).message);
      throw e;
    }
    try {
      this.broker.send(target, parsed);
    } catch (e) {
      if (e instanceof BrokerError) return reject(e.condition, e.message);
      throw e;
    }
    // Acknowledge only what is durable.
    this.broker.onCommit((err) =>
      err ? reject('amqp:internal-error', `could not store the message: ${err.message}`) : delivery.accept(),
    );
  }

  private onPutToken(st: ConnState, msg: Message): void {
    const props = (msg.application_properties ?? {}) as Record<string, unknown>;
    if (props.operation !== 'put-token') {
      this.reply(st, msg, {
        'status-code': 400,
        'status-description': `unsupported $cbs operation '${String(props.operation)}'`,
      });
      return;
    }
    const token = Buffer.isBuffer(msg.body) ? msg.body.toString('utf8') : String(msg.body ?? '');
    try {
      st.claims.add(this.auth.verify(token, String(props.name ?? '')));
      this.reply(st, msg, { 'status-code': 202, 'status-description': 'Accepted' });
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      this.reply(st, msg, { 'status-code': 401, 'status-description': e.message });
    }
  }

  private reply(st: ConnState, req: Message, props: Record<string, unknown>, body?: unknown): void {
    const to = req.reply_to;
    const link = to ? st.replyLinks.get(to) : undefined;
    if (!link || !link.is_open()) return;
    link.send({ correlation_id: req.message_id, application_properties: props, body } as Message);
  }

  // ---- outgoing deliveries -----------------------------------------------------------------------------------

  private onOutcome(ctx: EventContext): void {
    const delivery = ctx.delivery!;
    const role = this.roles.get(ctx.sender!);
    if (!role || role.kind !== 'consume') return;
    const consumer = role.consumer;
    const state = delivery.remote_state as
      | {
          constructor: { composite_type?: string };
          error?: { info?: Record<string, unknown> };
          undeliverable_here?: boolean;
          message_annotations?: Record<string, unknown>;
        }
      | undefined;
    const kind = state?.constructor?.composite_type ?? 'released';
    let outcome: Outcome;
    const opts: SettleOptions = {};
    if (kind === 'accepted') outcome = 'complete';
    else if (kind === 'rejected') {
      outcome = 'deadletter';
      const info = { ...(state?.error?.info ?? {}) };
      opts.deadLetterReason = typeof info.DeadLetterReason === 'string' ? info.DeadLetterReason : undefined;
      opts.deadLetterDescription =
        typeof info.DeadLetterErrorDescription === 'string' ? info.DeadLetterErrorDescription : undefined;
      delete info.DeadLetterReason;
      delete info.DeadLetterErrorDescription;
      opts.propertiesToModify = info;
    } else if (kind === 'modified') {
      outcome = state?.undeliverable_here ? 'defer' : 'abandon';
      opts.propertiesToModify = state?.message_annotations;
    } else outcome = 'abandon';

    const token = bytesToUuid(reorderGuid(Buffer.from(delivery.tag as Buffer)));
    const finish = (outcomeState: unknown): void => {
      // Settle our side and treat the peer's side as settled too: in receiver-settle-mode "second" the SDK
      // never sends a final settlement, and rhea keeps unsettled deliveries in a 2048-entry window.
      delivery.update(true, outcomeState);
      (delivery as unknown as { remote_settled: boolean }).remote_settled = true;
    };
    try {
      this.broker.settle(consumer.receivable, token, outcome, opts);
    } catch (e) {
      if (!(e instanceof BrokerError)) throw e;
      finish(outcomes.rejected({ error: { condition: e.condition, description: e.message } }).described());
      return;
    }
    // Even a dead-letter is answered with "accepted": the SDK treats an outcome carrying an error as a failure.
    this.broker.onCommit((err) =>
      finish(
        err
          ? outcomes.rejected({ error: { condition: 'amqp:internal-error', description: err.message } }).described()
          : outcomes.accepted().described(),
      ),
    );
  }

  private onSendable(ctx: EventContext): void {
    const role = this.roles.get(ctx.sender!);
    if (role?.kind === 'consume') this.broker.onCommit(() => this.broker.pump(role.consumer.receivable));
  }

  /** Drain: deliver what is available now, then give back the remaining credit (flow with drain=true). */
  private onDraining(ctx: EventContext): void {
    const link = ctx.sender!;
    const role = this.roles.get(link);
    if (role?.kind !== 'consume') {
      link.set_drained(true);
      (link.connection as unknown as { _register(): void })._register();
      return;
    }
    this.broker.onCommit(() => {
      this.broker.pump(role.consumer.receivable);
      if (!link.is_open()) return;
      link.set_drained(true);
      // set_drained only marks the flow as due; make rhea write it now rather than on some later event.
      (link.connection as unknown as { _register(): void })._register();
    });
  }

  // ---- teardown ----------------------------------------------------------------------------------------------

  private onLinkClosed(link: Sender | undefined): void {
    if (!link) return;
    const role = this.roles.get(link);
    if (role?.kind === 'consume') this.dropConsumer(link.connection, role.consumer);
  }

  private dropConsumer(conn: Connection, c: RheaConsumer): void {
    if (c.waiting) {
      clearTimeout(c.waiting);
      c.waiting = null;
      this.broker.cancelWait(c.receivable, c);
    }
    this.conns.get(conn)?.consumers.delete(c);
    if (!c.closed || c.receivable.consumers.includes(c) || c.group) this.broker.detach(c);
  }

  private onSessionClosed(ctx: EventContext): void {
    const st = this.conns.get(ctx.connection);
    if (!st) return;
    for (const c of [...st.consumers]) if (c.link.session === ctx.session) this.dropConsumer(ctx.connection, c);
  }

  private onConnectionGone(conn: Connection): void {
    const st = this.conns.get(conn);
    if (!st) return;
    for (const c of [...st.consumers]) this.dropConsumer(conn, c);
    st.replyLinks.clear();
  }
}
