/**
 * Calendar arithmetic in a conference's timezone: which day it is at the venue, and moving a conference to other
 * days. Pure: the instant is always passed in (core never reads the clock). Intl is part of the language, not a
 * Node API, so it is allowed here.
 */
import type { ConferenceFile } from './conference';

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter for `timezone`, or null when the runtime does not know the zone (then UTC is used). */
function formatFor(timezone: string): Intl.DateTimeFormat | null {
  if (!formats.has(timezone)) {
    let f: Intl.DateTimeFormat | null = null;
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      f = null;
    }
    formats.set(timezone, f);
  }
  return formats.get(timezone)!;
}

/**
 * The zone's offset at recent whole seconds: a sale asks for the venue's day several times (now, the session's start),
 * and `formatToParts` costs ~5 µs a call — the largest share of a sale's validity checks (sale.commit benchmark).
 * An offset never changes within a second; the map is emptied when it grows, so it stays small.
 */
const offsets = new Map<string, number>();

/** The wall-clock time at `ms` in `timezone`, expressed as if it were UTC (milliseconds). */
function wallClock(ms: number, timezone: string): number {
  const second = Math.floor(ms / 1000);
  const key = `${timezone} ${second}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneWall(second * 1000, timezone) - second * 1000;
    if (offsets.size >= 256) offsets.clear();
    offsets.set(key, offset);
  }
  return ms + offset;
}

/** `wallClock` asked of Intl, for a whole second. */
function zoneWall(ms: number, timezone: string): number {
  const f = formatFor(timezone);
  if (!f) return ms;
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
}

/** The instant whose wall-clock time in `timezone` is `wall` (as-if-UTC ms); the later one in a DST gap. */
function fromWallClock(wall: number, timezone: string): number {
  let guess = wall - (wallClock(wall, timezone) - wall);
  for (let i = 0; i < 3; i++) guess = wall - (wallClock(guess, timezone) - guess);
  return guess;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of midnight UTC of a YYYY-MM-DD day, or NaN if it is not a real day. */
function dayMs(day: string): number {
  const m = ISO_DAY.exec(day);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : NaN;
}

const toDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The venue's date (YYYY-MM-DD) at instant `ms` in `timezone` (UTC when the zone is unknown). */
export function localDay(ms: number, timezone: string): string {
  return toDay(wallClock(ms, timezone));
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  const a = dayMs(from);
  const b = dayMs(to);
  if (Number.isNaN(a) || Number.isNaN(b))
    throw new RangeError(`not a date: "${Number.isNaN(a) ? from : to}" (expected YYYY-MM-DD)`);
  return Math.round((b - a) / DAY_MS);
}

/** `day` moved by `n` days. */
export function addDays(day: string, n: number): string {
  return toDay(dayMs(day) + n * DAY_MS);
}

/** An instant moved by `n` calendar days at the venue: the same wall-clock time of day in `timezone`. */
function shiftInstant(iso: string, n: number, timezone: string): string {
  const wall = wallClock(Date.parse(iso), timezone) + n * DAY_MS;
  return new Date(fromWallClock(wall, timezone)).toISOString().replace('.000Z', 'Z');
}

/**
 * The conference moved so that its first day is `firstDay`: every day moves by the same number of days, and every
 * session keeps its time of day in the conference's timezone (across a daylight-saving change too) and its order.
 * Returns a new file; the input is not changed. Used for the embedded demo only — a real conference is never moved.
 */
export function shiftConference(file: ConferenceFile, firstDay: string): ConferenceFile {
  const n = daysBetween(file.conference.startsOn, firstDay);
  const out = structuredClone(file);
  if (n === 0) return out;
  const tz = file.conference.timezone;
  out.conference.startsOn = addDays(file.conference.startsOn, n);
  out.conference.endsOn = addDays(file.conference.endsOn, n);
  for (const s of out.sessions) {
    s.startsAt = shiftInstant(s.startsAt, n, tz);
    s.endsAt = shiftInstant(s.endsAt, n, tz);
  }
  return out;
}

/** The instants [start, end) of the venue's day `day` (YYYY-MM-DD) in `timezone`: a day at the venue, for reports. */
export function dayRange(day: string, timezone: string): { startMs: number; endMs: number } {
  const ms = dayMs(day);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: "${day}" (expected YYYY-MM-DD)`);
  return { startMs: fromWallClock(ms, timezone), endMs: fromWallClock(ms + DAY_MS, timezone) };
}

/** The local time of day "HH:MM" of an instant at the venue. */
export function localTime(ms: number, timezone: string): string {
  return new Date(wallClock(ms, timezone)).toISOString().slice(11, 16);
}
