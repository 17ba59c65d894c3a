/** Shared test fixtures: temp station databases, a fake clock, HQ feed messages, the demo conference. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ConferenceFile } from '../../core/conference';
import type { MessageType, Payload } from '../../core/messages';
import { schemaVersion } from '../../core/messages';
import type { Clock } from '../../core/staleness';
import { createStation, type Station, type StationOptions } from '../../main/station/create-station';

export class FakeClock implements Clock {
  wall: number;
  mono = 1_000;
  bootId = 'boot-test';
  constructor(startIso = '2026-12-01T08:45:00Z') {
    this.wall = Date.parse(startIso);
  }
  now = () => this.wall;
  monotonic = () => this.mono;
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
}

export function tempDir(prefix = 'lanyard-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let demo: ConferenceFile | undefined;
export function demoConference(): ConferenceFile {
  demo ??= JSON.parse(readFileSync(new URL('../../assets/demo-conference.json', import.meta.url), 'utf8')) as ConferenceFile;
  return structuredClone(demo);
}

/** A tiny conference for focused tests. */
export function smallConference(): ConferenceFile {
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'conf-1', name: 'Small Conf', timezone: 'UTC', startsOn: '2026-12-01', endsOn: '2026-12-01' },
    ticketTypes: [{ id: 'full', name: 'Full pass', badgeTemplate: 'standard' }],
    sessions: [
      { id: 'panel', title: 'Panel discussion', room: 'Room A', startsAt: '2026-12-01T14:00:00Z', endsAt: '2026-12-01T15:00:00Z', capacity: 10, sellable: true },
      { id: 'workshop', title: 'Workshop', room: 'Room B', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T12:00:00Z', capacity: 100, sellable: true },
      { id: 'keynote', title: 'Keynote', room: 'Hall', startsAt: '2026-12-01T09:00:00Z', endsAt: '2026-12-01T10:00:00Z', capacity: 500, sellable: false },
    ],
    registrants: [
      { id: 'r1', confirmationCode: 'LDC-AAA111', firstName: 'José', lastName: 'Ñúñez', email: 'jose@example.com', company: 'Acme', ticketTypeId: 'full', sessions: ['panel'] },
      { id: 'r2', confirmationCode: 'LDC-BBB222', firstName: 'Zoë', lastName: 'Łukasz', email: 'zoe@example.com', company: 'Globex', ticketTypeId: 'full', sessions: [] },
      { id: 'r3', confirmationCode: 'LDC-CCC333', firstName: 'Søren', lastName: 'Ødegård', email: 'soren@example.com', company: 'Initech', ticketTypeId: 'full', sessions: [] },
      { id: 'r4', confirmationCode: 'LDC-DDD444', firstName: 'Ana', lastName: 'Silva', email: 'ana@example.com', company: 'Acme', ticketTypeId: 'full', sessions: [] },
    ],
  };
}

export async function openStation(dir: string, opts: Partial<StationOptions> = {}): Promise<Station> {
  return createStation({ dbPath: join(dir, `${opts.stationId ?? 'desk-a'}.db`), stationId: 'desk-a', ...opts });
}

let hqSeq = 0;
/** An HQ feed message with a fresh id and the next HQ seq. */
export function hq<T extends MessageType>(type: T, payload: Payload<T>, opts: { conferenceId?: string; at?: string } = {}) {
  return {
    id: randomUUID(),
    type,
    schema: schemaVersion[type],
    conferenceId: opts.conferenceId ?? 'conf-1',
    origin: 'hq',
    seq: ++hqSeq,
    at: opts.at ?? '2026-12-01T08:45:00.000Z',
    payload,
  };
}

/** Unwraps a Result, failing the test with the error's message. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
