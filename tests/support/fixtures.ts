/** Shared test fixtures: temp station databases, a fake clock, HQ feed messages, the demo conference. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { addDays, shiftConference } from '../../core/calendar';
import type { ConferenceFile } from '../../core/conference';
import type { MessageType, Payload } from '../../core/messages';
import { schemaVersion } from '../../core/messages';
import type { Clock } from '../../core/staleness';
import { createStation, type Station, type StationOptions } from '../../main/station/create-station';

/**
 * The day the fixtures' conferences run: tomorrow (UTC) by the clock this test process runs under, read when the
 * test asks. Sessions on it (09:00–17:00 UTC) are always at least seven hours ahead of the real clock, so code that
 * compares them with now (HQ's "starts soon", the allotment keeper) sees an upcoming conference on any date.
 */
export function conferenceDay(nowMs = Date.now()): string {
  return addDays(new Date(nowMs).toISOString().slice(0, 10), 1);
}

/** `HH:MM` UTC on `day` (default: the fixtures' conference day). */
export function dayAt(hhmm: string, day = conferenceDay()): string {
  return `${day}T${hhmm}:00Z`;
}

export class FakeClock implements Clock {
  wall: number;
  mono = 1_000;
  bootId = 'boot-test';
  /** Starts at 08:45 UTC on the fixtures' conference day unless told otherwise. */
  constructor(startIso = dayAt('08:45')) {
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
/** The committed demo conference, moved so that its day 1 is `firstDay` (default: the fixtures' conference day). */
export function demoConference(firstDay = conferenceDay()): ConferenceFile {
  demo ??= JSON.parse(
    readFileSync(new URL('../../assets/demo-conference.json', import.meta.url), 'utf8'),
  ) as ConferenceFile;
  return shiftConference(demo, firstDay);
}

/** A tiny conference for focused tests, on `day` (default: the fixtures' conference day). */
export function smallConference(day = conferenceDay()): ConferenceFile {
  const at = (hhmm: string) => dayAt(hhmm, day);
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'conf-1', name: 'Small Conf', timezone: 'UTC', startsOn: day, endsOn: day },
    ticketTypes: [{ id: 'full', name: 'Full pass', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'panel',
        title: 'Panel discussion',
        room: 'Room A',
        startsAt: at('14:00'),
        endsAt: at('15:00'),
        capacity: 10,
        sellable: true,
      },
      {
        id: 'workshop',
        title: 'Workshop',
        room: 'Room B',
        startsAt: at('10:00'),
        endsAt: at('12:00'),
        capacity: 100,
        sellable: true,
      },
      {
        id: 'keynote',
        title: 'Keynote',
        room: 'Hall',
        startsAt: at('09:00'),
        endsAt: at('10:00'),
        capacity: 500,
        sellable: false,
      },
    ],
    registrants: [
      {
        id: 'r1',
        confirmationCode: 'LDC-AAA111',
        firstName: 'José',
        lastName: 'Ñúñez',
        email: 'jose@example.com',
        company: 'Acme',
        ticketTypeId: 'full',
        sessions: ['panel'],
      },
      {
        id: 'r2',
        confirmationCode: 'LDC-BBB222',
        firstName: 'Zoë',
        lastName: 'Łukasz',
        email: 'zoe@example.com',
        company: 'Globex',
        ticketTypeId: 'full',
        sessions: [],
      },
      {
        id: 'r3',
        confirmationCode: 'LDC-CCC333',
        firstName: 'Søren',
        lastName: 'Ødegård',
        email: 'soren@example.com',
        company: 'Initech',
        ticketTypeId: 'full',
        sessions: [],
      },
      {
        id: 'r4',
        confirmationCode: 'LDC-DDD444',
        firstName: 'Ana',
        lastName: 'Silva',
        email: 'ana@example.com',
        company: 'Acme',
        ticketTypeId: 'full',
        sessions: [],
      },
    ],
  };
}

export async function openStation(dir: string, opts: Partial<StationOptions> = {}): Promise<Station> {
  return createStation({ dbPath: join(dir, `${opts.stationId ?? 'desk-a'}.db`), stationId: 'desk-a', ...opts });
}

let hqSeq = 0;
/** An HQ feed message with a fresh id and the next HQ seq. */
export function hq<T extends MessageType>(
  type: T,
  payload: Payload<T>,
  opts: { conferenceId?: string; at?: string } = {},
) {
  return {
    id: randomUUID(),
    type,
    schema: schemaVersion[type],
    conferenceId: opts.conferenceId ?? 'conf-1',
    origin: 'hq',
    seq: ++hqSeq,
    at: opts.at ?? dayAt('08:45'), // the FakeClock's default start: HQ's clock and the station's agree
    payload,
  };
}

/** Unwraps a Result, failing the test with the error's message. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
