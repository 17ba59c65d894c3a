import { describe, expect, it } from 'vitest';
import { feedMessageTypes, parseEnvelope, payloadSchemas, stationEventTypes, type MessageType } from './messages';

const basis = {
  online: false,
  allotmentRemaining: 0,
  stalenessMin: 10,
  stalenessUnknownReason: null,
  maxStalenessMin: 60,
  capacity: 10,
  sold: 5,
  allotted: 0,
  unallocated: 5,
  remainingRatio: 0.5,
  minRemainingRatio: 0.1,
  salesRatePerMin: 0,
  alpha: 0.05,
  z: 1.64,
  expectedSalesSinceSync: 0,
  kMax: 2,
  pendingOverdraft: 0,
  overdraftCap: 2,
  failed: [],
};
const registrant = {
  id: 'r1',
  confirmationCode: 'C-1',
  firstName: 'Zoë',
  lastName: 'Łukasz',
  email: 'z@example.com',
  company: '',
  ticketTypeId: 'full',
  sessions: [],
};
// Fixed dates in this file are parsed and validated only; nothing compares them with now.
const session = {
  id: 's1',
  title: 'Panel',
  room: 'A',
  startsAt: '2026-12-01T10:00:00Z',
  endsAt: '2026-12-01T11:00:00Z',
  capacity: 20,
  sellable: true,
};

/** One valid payload per message type: the table must cover every type. */
const samples: Record<MessageType, unknown> = {
  StationHello: { stationId: 'desk-a', publicKey: 'MCowBQYDK2VwAyEA', keyId: 'k1', softwareVersion: '0.1.0' },
  RegistrantRegistered: { registrant },
  RegistrationUpgraded: { registrantId: 'r1', sessionId: 's1', saleId: 'sale-1' },
  SeatSold: { saleId: 'sale-1', sessionId: 's1', registrantId: 'r1', tier: 'overdraft', allotmentId: null, basis },
  SeatReleased: { saleId: 'sale-1', sessionId: 's1', registrantId: 'r1', reason: 'changed mind' },
  AllotmentRequested: { requestId: 'q1', sessionId: 's1', seats: 2 },
  AllotmentReturned: { allotmentId: 'a1', sessionId: 's1', seats: 1 },
  BadgePrinted: { registrantId: 'r1', badgeVersion: 1, jobId: 'j1' },
  BadgeVoided: { registrantId: 'r1', badgeVersion: 1, reason: 'reversed' },
  CheckedIn: { registrantId: 'r1', sessionId: null, at: '2026-12-01T08:50:00Z' },
  OversellResolved: {
    caseId: 'c1',
    saleId: 'sale-1',
    resolution: 'honor',
    moveToSessionId: null,
    note: '',
    resolutionId: 'res-1',
    supervisorId: 'sam',
  },
  StreamRecoveryRequested: { stationId: 'desk-a', fromSeq: 4, requestId: 'rq-1' },
  StreamRecovered: {
    station: 'station:desk-a',
    requestId: 'rq-1',
    fromSeq: 4,
    nextSeq: 6,
    chunk: 0,
    of: 1,
    events: ['{}', '{}'],
    sales: [{ saleId: 'sale-1', verdict: 'confirmed', released: false }],
  },
  RegistrantChanged: {
    registrant: { ...registrant, firstName: 'Zoe', status: 'paid' },
    kind: 'correction',
    fields: ['firstName'],
    reason: 'misspelt',
    staffId: 'dee',
  },
  SeatReturned: { registrantId: 'r1', sessionId: 's1', saleId: null, source: 'import', reason: 'cannot come' },
  PaymentRecorded: {
    paymentId: 'p1',
    registrantId: 'r1',
    saleId: 'sale-1',
    purpose: 'seat',
    description: 'Panel',
    amount: 2500,
    currency: 'EUR',
    method: 'card',
    reference: 'TRM-0042',
    reason: null,
    staffId: 'dee',
  },
  PaymentReversed: {
    paymentId: 'p1',
    registrantId: 'r1',
    kind: 'refund',
    amount: 2500,
    currency: 'EUR',
    reason: 'seat not given',
    supervisorId: 'sam',
  },
  RegistrantChangeRecorded: {
    registrant,
    kind: 'transfer',
    fields: ['firstName', 'lastName'],
    station: 'station:desk-a',
    reason: 'to Ana: colleague',
  },
  SeatAvailability: { sessionId: 's1', capacity: 20, sold: 3, allotted: 2, version: 4, salesRatePerMin: 0.3 },
  SaleConfirmed: { saleId: 'sale-1', sessionId: 's1' },
  SaleOversold: { saleId: 'sale-1', sessionId: 's1', station: 'station:desk-a', overBy: 1 },
  AllotmentGranted: { allotmentId: 'a1', requestId: 'q1', station: 'station:desk-a', sessionId: 's1', seats: 2 },
  AllotmentRecalled: { allotmentId: 'a1', station: 'station:desk-a', sessionId: 's1' },
  AllotmentReturnRequested: { station: 'station:desk-a', sessionId: 's1' },
  RegistrantUpserted: { registrant },
  SessionUpserted: { session },
  OversellCaseOpened: {
    caseId: 'c1',
    saleId: 'sale-1',
    sessionId: 's1',
    station: 'station:desk-a',
    overBy: 1,
    registrantId: 'r1',
    tier: 'overdraft',
    basis,
    dueAt: '2026-12-01T09:45:00Z',
    defaultAction: 'honor',
  },
  OversellCaseResolved: {
    caseId: 'c1',
    saleId: 'sale-1',
    sessionId: 's1',
    registrantId: 'r1',
    station: 'station:desk-a',
    resolution: 'reverse',
    by: 'station:desk-b',
    decidedBy: 'station',
    resolutionId: 'res-1',
    supervisorId: 'sam',
    note: 'called her',
    outcome: {
      capacity: null,
      moveToSessionId: null,
      moveSaleId: null,
      waitlistEntryId: null,
      waitlistPosition: null,
      revokedBadgeVersions: [1],
    },
  },
  OversellCaseEscalated: {
    caseId: 'c1',
    saleId: 'sale-1',
    sessionId: 's1',
    dueAt: '2026-12-01T09:45:00Z',
    defaultAction: 'waitlist',
  },
  OversellResolutionRejected: {
    caseId: 'c1',
    saleId: 'sale-1',
    resolutionId: 'res-2',
    station: 'station:desk-a',
    resolution: 'honor',
    outcome: 'lost',
    reason: 'already resolved',
    resolvedAs: 'reverse',
  },
  WaitlistPromoted: {
    entryId: 'w1',
    sessionId: 's1',
    registrantId: 'r1',
    saleId: 'sale-9',
    station: 'station:desk-a',
    caseId: 'c1',
  },
  BadgeRevoked: { registrantId: 'r1', badgeVersion: 2, reason: 'oversold seat reversed' },
  BadgePrintRecorded: {
    registrantId: 'r1',
    badgeVersion: 1,
    station: 'station:kiosk-2',
    jobId: 'j1',
    printedAt: '2026-12-01T08:12:00.000Z',
  },
  StationKeys: { keys: [{ keyId: 'k1', station: 'station:desk-a', publicKey: 'MCowBQYDK2VwAyEA' }] },
  Heartbeat: { hqTime: '2026-12-01T08:45:00Z' },
  ConferenceSnapshotChunk: {
    station: 'station:desk-c',
    chunk: 0,
    of: 1,
    conference: null,
    sessions: [session],
    registrants: [registrant],
  },
};

const envelope = (type: string, payload: unknown, over: Record<string, unknown> = {}) => ({
  id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  type,
  schema: 1,
  conferenceId: 'ldc26',
  origin: 'hq',
  seq: 1,
  at: '2026-12-01T08:45:00Z',
  payload,
  ...over,
});
const all = [...stationEventTypes, ...feedMessageTypes];

describe('message contracts', () => {
  it('every type is either a station event or a feed message, and has a sample here', () => {
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(payloadSchemas).sort());
    expect(Object.keys(samples).sort()).toEqual(Object.keys(payloadSchemas).sort());
  });

  it.each(Object.keys(samples) as MessageType[])('%s: a valid sample parses; a wrong field does not', (type) => {
    const ok = parseEnvelope(envelope(type, samples[type]), all);
    expect(ok.ok).toBe(true);
    const bad = parseEnvelope(envelope(type, { ...(samples[type] as object), unexpected: true }), all);
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.reason).toContain(`invalid ${type} payload`);
  });

  it.each([
    [
      'a type outside the allowed set',
      envelope('SeatSold', samples.SeatSold),
      feedMessageTypes,
      'unexpected message type',
    ],
    [
      'an unknown schema version',
      envelope('Heartbeat', samples.Heartbeat, { schema: 2 }),
      feedMessageTypes,
      'unsupported schema version',
    ],
    ['a non-UUID id', envelope('Heartbeat', samples.Heartbeat, { id: 'x' }), feedMessageTypes, 'id: must be a UUID'],
    ['seq 0', envelope('Heartbeat', samples.Heartbeat, { seq: 0 }), feedMessageTypes, 'seq'],
    ['a bad origin', envelope('Heartbeat', samples.Heartbeat, { origin: 'desk-a' }), feedMessageTypes, 'origin'],
    [
      'a local time without offset',
      envelope('Heartbeat', samples.Heartbeat, { at: '2026-12-01 08:45' }),
      feedMessageTypes,
      'at',
    ],
    [
      'extra envelope fields',
      envelope('Heartbeat', samples.Heartbeat, { admin: true }),
      feedMessageTypes,
      'invalid envelope',
    ],
    ['a string instead of an object', 'hello', feedMessageTypes, 'invalid envelope'],
    ['a prototype-named type', envelope('__proto__', {}), feedMessageTypes, 'unexpected message type'],
    [
      'a move without its target',
      envelope('OversellResolved', { ...(samples.OversellResolved as object), resolution: 'move' }),
      stationEventTypes,
      'moveToSessionId',
    ],
    [
      'a target for an action that is not a move',
      envelope('OversellResolved', { ...(samples.OversellResolved as object), moveToSessionId: 's2' }),
      stationEventTypes,
      'moveToSessionId',
    ],
    [
      'an unknown deadline action',
      envelope('OversellCaseOpened', { ...(samples.OversellCaseOpened as object), defaultAction: 'move' }),
      feedMessageTypes,
      'defaultAction',
    ],
    [
      'a resolution answer that is neither lost nor refused',
      envelope('OversellResolutionRejected', { ...(samples.OversellResolutionRejected as object), outcome: 'won' }),
      feedMessageTypes,
      'outcome',
    ],
    // The desk's day (issue 19): money in minor units, a known method and status, an HQ seat with its sale id.
    [
      'a payment in fractions of a cent',
      envelope('PaymentRecorded', { ...(samples.PaymentRecorded as object), amount: 12.5 }),
      stationEventTypes,
      'amount',
    ],
    [
      'a negative payment',
      envelope('PaymentRecorded', { ...(samples.PaymentRecorded as object), amount: -100 }),
      stationEventTypes,
      'amount',
    ],
    [
      'a payment in an unknown currency form',
      envelope('PaymentRecorded', { ...(samples.PaymentRecorded as object), currency: 'euro' }),
      stationEventTypes,
      'currency',
    ],
    [
      'a payment by cheque',
      envelope('PaymentRecorded', { ...(samples.PaymentRecorded as object), method: 'cheque' }),
      stationEventTypes,
      'method',
    ],
    [
      'a reversal that is neither void nor refund',
      envelope('PaymentReversed', { ...(samples.PaymentReversed as object), kind: 'chargeback' }),
      stationEventTypes,
      'kind',
    ],
    [
      'an HQ seat without its sale id',
      envelope('SeatReturned', { ...(samples.SeatReturned as object), source: 'hq' }),
      stationEventTypes,
      'saleId',
    ],
    [
      'an imported seat with a sale id',
      envelope('SeatReturned', { ...(samples.SeatReturned as object), saleId: 'sale-1' }),
      stationEventTypes,
      'saleId',
    ],
    [
      'a change of no field',
      envelope('RegistrantChanged', { ...(samples.RegistrantChanged as object), fields: [] }),
      stationEventTypes,
      'fields',
    ],
    [
      'an unknown registration status',
      envelope('RegistrantChanged', {
        ...(samples.RegistrantChanged as object),
        registrant: { ...registrant, status: 'lost' },
      }),
      stationEventTypes,
      'status',
    ],
    [
      'a relayed change without its station',
      envelope('RegistrantChangeRecorded', { ...(samples.RegistrantChangeRecorded as object), station: 'desk-a' }),
      feedMessageTypes,
      'station',
    ],
  ] as const)('rejects %s', (_n, raw, allowed, reason) => {
    const r = parseEnvelope(raw, allowed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });
});
