/**
 * AMQP message bytes. The broker keeps each message as the client encoded it, minus the sections it owns
 * (header, delivery annotations, message annotations), so bodies and properties reach receivers byte for byte.
 * On delivery it prepends a fresh header (delivery count) and message annotations (sequence number, enqueued
 * time, lock expiry, state). Sections are found with a small skip-scanner instead of a full decode: a body is
 * never parsed on the hot path.
 */
import { randomUUID } from 'node:crypto';
import rhea from 'rhea';

const { types, message: amqpMessage } = rhea;
/** rhea's encoder; present at runtime but missing from its typings. */
const Writer = (types as unknown as { Writer: new () => { write(v: unknown): void; toBuffer(): Buffer } }).Writer;

export const SECTION = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  properties: 0x73,
  applicationProperties: 0x74,
  data: 0x75,
  footer: 0x78,
} as const;

export const BATCH_FORMAT = 0x80013700;

export class CodecError extends Error {}

/** Returns the offset just after the AMQP value starting at `pos`. */
function skipValue(buf: Buffer, pos: number): number {
  if (pos >= buf.length) throw new CodecError('truncated value');
  const code = buf[pos]!;
  if (code === 0x00) {
    // described value: descriptor, then the value
    return skipValue(buf, skipValue(buf, pos + 1));
  }
  const next = pos + 1;
  let end: number;
  switch (code >> 4) {
    case 0x4:
      end = next;
      break;
    case 0x5:
      end = next + 1;
      break;
    case 0x6:
      end = next + 2;
      break;
    case 0x7:
      end = next + 4;
      break;
    case 0x8:
      end = next + 8;
      break;
    case 0x9:
      end = next + 16;
      break;
    case 0xa:
    case 0xc:
    case 0xe:
      if (next >= buf.length) throw new CodecError('truncated value');
      end = next + 1 + buf[next]!;
      break;
    case 0xb:
    case 0xd:
    case 0xf:
      if (next + 4 > buf.length) throw new CodecError('truncated value');
      end = next + 4 + buf.readUInt32BE(next);
      break;
    default:
      throw new CodecError(`invalid AMQP type code 0x${code.toString(16)}`);
  }
  if (end > buf.length) throw new CodecError('truncated value');
  return end;
}

export interface SectionSpan {
  code: number;
  start: number;
  end: number;
}

/** Splits an encoded message into its sections. */
export function sections(buf: Buffer): SectionSpan[] {
  const out: SectionSpan[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] !== 0x00) throw new CodecError('expected a described message section');
    const d = buf[pos + 1];
    let code: number;
    if (d === 0x53) code = buf[pos + 2]!;
    else if (d === 0x80) code = Number(buf.readBigUInt64BE(pos + 2));
    else if (d === 0x44) code = 0;
    else throw new CodecError('unsupported section descriptor');
    const end = skipValue(buf, pos);
    out.push({ code, start: pos, end });
    pos = end;
  }
  return out;
}

/** The inner messages of a batch (format 0x80013700): each data section of the envelope is one message. */
export function splitBatch(envelope: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (const s of sections(envelope)) {
    if (s.code !== SECTION.data) continue;
    // skip the descriptor (0x00 0x53 0x75), then a vbin8 / vbin32
    const v = s.start + 3;
    const code = envelope[v];
    if (code === 0xa0) out.push(envelope.subarray(v + 2, s.end));
    else if (code === 0xb0) out.push(envelope.subarray(v + 5, s.end));
    else throw new CodecError('batch data section is not binary');
  }
  return out;
}

/** What the broker needs to know about a message, plus its stored bytes. */
export interface ParsedMessage {
  ttlMs: number | undefined;
  durable: boolean | undefined;
  priority: number | undefined;
  /** The client's message annotations section, verbatim (or empty). */
  annotations: Buffer;
  /** Properties, application properties, body and footer, verbatim. */
  body: Buffer;
  messageId: string | undefined;
  sessionId: string | undefined;
  /** Scheduled enqueue time requested by the client (ms), if any. */
  scheduledAt: number | undefined;
  /** Inputs for subscription filters. */
  sys: Record<string, unknown>;
  user: Record<string, unknown>;
}

function idToString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return String(v);
}

/**
 * The real service stamps a message id on messages sent without one, and the SDK's lock renewer depends on it
 * (it keys renewals by message id). Rewrites the properties section with a generated id.
 */
function withMessageId(buf: Buffer, spans: SectionSpan[], head: Record<string, unknown>, id: string): Buffer {
  const fields: Record<string, unknown> = {};
  for (const k of PROPERTY_FIELDS) if (head[k] !== undefined && head[k] !== null) fields[k] = head[k];
  fields.message_id = id;
  const w = new Writer();
  w.write(
    (amqpMessage as unknown as { properties(o: unknown): { described(): unknown } }).properties(fields).described(),
  );
  const encoded = w.toBuffer();
  const props = spans.find((s) => s.code === SECTION.properties);
  if (props) return Buffer.concat([buf.subarray(0, props.start), encoded, buf.subarray(props.end)]);
  const after = spans.find((s) => s.code > SECTION.properties);
  const at = after ? after.start : buf.length;
  return Buffer.concat([buf.subarray(0, at), encoded, buf.subarray(at)]);
}

const PROPERTY_FIELDS = [
  'message_id',
  'user_id',
  'to',
  'subject',
  'reply_to',
  'correlation_id',
  'content_type',
  'content_encoding',
  'absolute_expiry_time',
  'creation_time',
  'group_id',
  'group_sequence',
  'reply_to_group_id',
];

export function parseMessage(input: Buffer): ParsedMessage {
  let buf = input;
  let spans = sections(buf);
  let annotations: Buffer = Buffer.alloc(0);
  let prefixEnd = 0;
  let bodyStart = buf.length;
  for (const s of spans) {
    if (s.code === SECTION.messageAnnotations) annotations = buf.subarray(s.start, s.end);
    if (s.code <= SECTION.applicationProperties) prefixEnd = s.end;
    if (s.code >= SECTION.properties && bodyStart === buf.length) bodyStart = s.start;
  }
  // Decode only header..application-properties; the body stays opaque.
  const head = amqpMessage.decode(buf.subarray(0, prefixEnd)) as Record<string, unknown>;
  if (head.message_id === undefined || head.message_id === null) {
    const id = randomUUID().replace(/-/g, '');
    buf = withMessageId(buf, spans, head, id);
    head.message_id = id;
    spans = sections(buf);
    bodyStart = spans.find((s) => s.code >= SECTION.properties)?.start ?? buf.length;
  }
  const ann = (head.message_annotations ?? {}) as Record<string, unknown>;
  const sched = ann['x-opt-scheduled-enqueue-time'];
  const sys: Record<string, unknown> = {
    messageid: idToString(head.message_id),
    correlationid: idToString(head.correlation_id),
    to: head.to,
    replyto: head.reply_to,
    label: head.subject,
    sessionid: head.group_id,
    replytosessionid: head.reply_to_group_id,
    contenttype: head.content_type,
  };
  return {
    ttlMs: typeof head.ttl === 'number' ? head.ttl : undefined,
    durable: typeof head.durable === 'boolean' ? head.durable : undefined,
    priority: typeof head.priority === 'number' ? head.priority : undefined,
    annotations,
    body: buf.subarray(bodyStart),
    messageId: idToString(head.message_id),
    sessionId: typeof head.group_id === 'string' ? head.group_id : undefined,
    scheduledAt: sched instanceof Date ? sched.getTime() : typeof sched === 'number' ? sched : undefined,
    sys,
    user: (head.application_properties ?? {}) as Record<string, unknown>,
  };
}

/** Broker-owned annotations; a client's copy of these is replaced on delivery. */
const BROKER_ANNOTATIONS = new Set([
  'x-opt-sequence-number',
  'x-opt-enqueued-time',
  'x-opt-locked-until',
  'x-opt-message-state',
  'x-opt-enqueue-sequence-number',
  'x-opt-deadletter-source',
]);

export interface DeliveryFields {
  deliveryCount: number;
  sequenceNumber: number;
  enqueuedAt: number;
  lockedUntil?: number | undefined;
  /** 0 active, 1 deferred, 2 scheduled. */
  state: number;
  deadLetterSource?: string | undefined;
  ttlMs: number | undefined;
  durable: boolean | undefined;
  priority: number | undefined;
}

const decodedAnnotations = new WeakMap<Buffer, Record<string, unknown>>();

function clientAnnotations(section: Buffer): Record<string, unknown> {
  if (section.length === 0) return {};
  let v = decodedAnnotations.get(section);
  if (!v) {
    v = ((amqpMessage.decode(section) as Record<string, unknown>).message_annotations ?? {}) as Record<string, unknown>;
    decodedAnnotations.set(section, v);
  }
  return v;
}

/** Encodes a message for delivery (or for a peek / receive-by-sequence-number reply). */
export function encodeDelivery(annotations: Buffer, body: Buffer, f: DeliveryFields): Buffer {
  const header: Record<string, unknown> = { delivery_count: f.deliveryCount };
  if (f.ttlMs !== undefined) header.ttl = f.ttlMs;
  if (f.durable !== undefined) header.durable = f.durable;
  if (f.priority !== undefined) header.priority = f.priority;
  const ann: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(clientAnnotations(annotations))) if (!BROKER_ANNOTATIONS.has(k)) ann[k] = v;
  ann['x-opt-sequence-number'] = types.wrap_long(f.sequenceNumber);
  ann['x-opt-enqueued-time'] = types.wrap_timestamp(f.enqueuedAt);
  if (f.lockedUntil !== undefined) ann['x-opt-locked-until'] = types.wrap_timestamp(f.lockedUntil);
  if (f.state) ann['x-opt-message-state'] = types.wrap_int(f.state);
  if (f.deadLetterSource) ann['x-opt-deadletter-source'] = f.deadLetterSource;
  const w = new Writer();
  w.write((amqpMessage as unknown as { header(o: unknown): { described(): unknown } }).header(header).described());
  w.write(types.described_nc(types.wrap_ulong(SECTION.messageAnnotations), types.wrap_symbolic_map(ann)));
  return Buffer.concat([w.toBuffer(), body]);
}

/**
 * Returns `body` with application properties merged with `changes` (dead-letter reason, propertiesToModify).
 * Only this path re-encodes application properties; values keep their JavaScript value, not always their
 * exact AMQP width.
 */
export function withApplicationProperties(body: Buffer, changes: Record<string, unknown>): Buffer {
  const spans = sections(body);
  const app = spans.find((s) => s.code === SECTION.applicationProperties);
  const current = app
    ? ((amqpMessage.decode(body.subarray(app.start, app.end)) as Record<string, unknown>)
        .application_properties as Record<string, unknown>)
    : {};
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) merged[k] = v;
  const w = new Writer();
  w.write(types.described_nc(types.wrap_ulong(SECTION.applicationProperties), types.wrap_map(merged)));
  const encoded = w.toBuffer();
  if (app) return Buffer.concat([body.subarray(0, app.start), encoded, body.subarray(app.end)]);
  // Application properties go right after properties (if any).
  const props = spans.find((s) => s.code === SECTION.properties);
  const at = props ? props.end : 0;
  return Buffer.concat([body.subarray(0, at), encoded, body.subarray(at)]);
}

/** Re-encodes a message rhea has already decoded (format-0 transfers arrive decoded). */
export function encodeDecoded(msg: unknown): Buffer {
  return amqpMessage.encode(msg as never) as Buffer;
}
