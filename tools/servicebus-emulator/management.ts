/**
 * The `<entity>/$management` request/response node: operations the SDK performs outside of links (lock
 * renewal, peek, deferred messages, settlement when the receiving link is gone, scheduling, session state).
 * Requests are AMQP-value maps; replies carry `statusCode` (and `errorCondition` on failure).
 */
import rhea from 'rhea';
import { BrokerError, bytesToUuid, MESSAGE_NOT_FOUND, NOT_FOUND } from './broker';
import type { Broker, Outcome } from './broker';
import type { ClaimSet } from './cbs';
import { parseMessage } from './codec';
import type { Right } from './config';

const { types } = rhea;

export interface ManagementReply {
  status: number;
  description?: string;
  condition?: string;
  body?: unknown;
}

const OP = 'com.microsoft:';

function seqOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (Buffer.isBuffer(v)) return Number(v.readBigInt64BE(0));
  if (typeof v === 'bigint') return Number(v);
  throw new BrokerError('com.microsoft:argument-error', 'invalid sequence number');
}

function tokenOf(v: unknown): string {
  if (Buffer.isBuffer(v) && v.length === 16) return bytesToUuid(v);
  if (typeof v === 'string') return v.toLowerCase();
  throw new BrokerError('com.microsoft:argument-error', 'invalid lock token');
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

const DISPOSITIONS: Record<string, Outcome> = {
  completed: 'complete',
  abandoned: 'abandon',
  suspended: 'deadletter',
  defered: 'defer',
  deferred: 'defer',
};

/** Which right an operation needs: sends need Send, everything a receiver does needs Listen. */
function rightFor(op: string): Right {
  return op === 'schedule-message' || op === 'cancel-scheduled-message' ? 'Send' : 'Listen';
}

export function handleManagement(
  broker: Broker,
  claims: ClaimSet,
  entityPath: string,
  operation: string,
  body: unknown,
): ManagementReply {
  const op = operation.startsWith(OP) ? operation.slice(OP.length) : operation;
  const req = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (!claims.allows(entityPath, rightFor(op))) {
    return {
      status: 401,
      condition: 'amqp:unauthorized-access',
      description: `Unauthorized access. '${rightFor(op)}' claim(s) are required to perform '${op}' on '${entityPath}'.`,
    };
  }
  try {
    switch (op) {
      case 'schedule-message':
      case 'cancel-scheduled-message': {
        const target = broker.sendable(entityPath);
        if (!target) return notFound(entityPath);
        if (op === 'cancel-scheduled-message') {
          broker.cancelScheduled(target, list(req['sequence-numbers']).map(seqOf));
          return { status: 200, body: {} };
        }
        const parsed = list(req.messages).map((e) => {
          const entry = e as Record<string, unknown>;
          if (!Buffer.isBuffer(entry.message))
            throw new BrokerError('com.microsoft:argument-error', 'schedule-message entries need a binary "message"');
          return parseMessage(entry.message);
        });
        const seqs = broker.send(target, parsed, undefined);
        return { status: 200, body: { 'sequence-numbers': types.wrap_array(seqs, 0x81, undefined) } };
      }
    }
    const r = broker.receivable(entityPath);
    if (!r) return notFound(entityPath);
    const sessionId = typeof req['session-id'] === 'string' ? req['session-id'] : undefined;
    switch (op) {
      case 'renew-lock': {
        const until = broker.renewLocks(r, list(req['lock-tokens']).map(tokenOf));
        return { status: 200, body: { expirations: types.wrap_array(until, 0x83, undefined) } };
      }
      case 'peek-message': {
        const from = req['from-sequence-number'] === undefined ? 1 : seqOf(req['from-sequence-number']);
        const count = typeof req['message-count'] === 'number' ? req['message-count'] : 1;
        const msgs = broker.peek(r, from, count, sessionId);
        if (!msgs.length) return { status: 204, description: 'No messages to peek' };
        return { status: 200, body: { messages: msgs.map((m) => ({ message: m })) } };
      }
      case 'receive-by-sequence-number': {
        const mode = req['receiver-settle-mode'] === 0 ? 'receiveAndDelete' : 'peekLock';
        const got = broker.receiveDeferred(r, list(req['sequence-numbers']).map(seqOf), mode, sessionId);
        return {
          status: 200,
          body: {
            messages: got.map((g) => types.wrap_map({ message: g.bytes, 'lock-token': types.wrap_uuid(g.token) })),
          },
        };
      }
      case 'update-disposition': {
        const status = String(req['disposition-status'] ?? '');
        const outcome = DISPOSITIONS[status];
        if (!outcome) throw new BrokerError('com.microsoft:argument-error', `unknown disposition-status '${status}'`);
        const props = req['properties-to-modify'];
        for (const t of list(req['lock-tokens']).map(tokenOf)) {
          broker.settle(r, t, outcome, {
            propertiesToModify: props && typeof props === 'object' ? (props as Record<string, unknown>) : undefined,
            deadLetterReason: typeof req['deadletter-reason'] === 'string' ? req['deadletter-reason'] : undefined,
            deadLetterDescription:
              typeof req['deadletter-description'] === 'string' ? req['deadletter-description'] : undefined,
          });
        }
        return { status: 200, body: {} };
      }
      case 'renew-session-lock': {
        if (sessionId === undefined) throw new BrokerError('com.microsoft:argument-error', 'session-id is required');
        const until = broker.renewSessionLock(r, sessionId);
        return { status: 200, body: { expiration: types.wrap_timestamp(until) } };
      }
      case 'get-session-state': {
        if (sessionId === undefined) throw new BrokerError('com.microsoft:argument-error', 'session-id is required');
        const state = broker.getSessionState(r, sessionId);
        return { status: 200, body: { 'session-state': state ?? null } };
      }
      case 'set-session-state': {
        if (sessionId === undefined) throw new BrokerError('com.microsoft:argument-error', 'session-id is required');
        const raw = req['session-state'];
        broker.setSessionState(r, sessionId, Buffer.isBuffer(raw) ? raw : null);
        return { status: 200, body: {} };
      }
      default:
        return {
          status: 501,
          condition: 'amqp:not-implemented',
          description: `The operation '${operation}' is not supported by the emulator.`,
        };
    }
  } catch (e) {
    if (e instanceof BrokerError) {
      const status =
        e.condition === MESSAGE_NOT_FOUND || e.condition === NOT_FOUND
          ? 404
          : e.condition.includes('lock-lost')
            ? 410
            : 400;
      return { status, condition: e.condition, description: e.message };
    }
    return { status: 500, condition: 'amqp:internal-error', description: (e as Error).message };
  }
}

function notFound(path: string): ManagementReply {
  return { status: 404, condition: NOT_FOUND, description: `The messaging entity '${path}' could not be found.` };
}
