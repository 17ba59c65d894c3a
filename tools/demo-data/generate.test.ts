import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConferenceFile } from '../../core/conference';
import { asciiFold, defaultOut, generateConference, parseArgs, serializeConference, sessionFill } from './generate';

const demo = generateConference({});

describe('generateConference', () => {
  it('is deterministic for a seed', () => {
    expect(serializeConference(generateConference({}))).toBe(serializeConference(demo));
    expect(generateConference({ seed: 7, registrants: 300 })).toEqual(
      generateConference({ seed: 7, registrants: 300 }),
    );
  });

  it('differs for a different seed', () => {
    const other = generateConference({ seed: 2027 });
    expect(other).not.toEqual(demo);
    expect(other.registrants.map((r) => r.confirmationCode)).not.toEqual(
      demo.registrants.map((r) => r.confirmationCode),
    );
  });

  it('parses as a ConferenceFile, with every field explicit (parsing changes nothing)', () => {
    const parsed = ConferenceFile.parse(demo);
    expect(parsed).toEqual(demo);
  });

  it('has the expected shape and counts', () => {
    expect(demo.conference).toMatchObject({
      name: 'Lanyard Demo Conf 2026',
      timezone: 'Europe/Lisbon',
      startsOn: '2026-12-01',
      endsOn: '2026-12-03',
    });
    const days = new Set(demo.sessions.map((s) => s.startsAt.slice(0, 10)));
    expect([...days].sort()).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(demo.sessions.length).toBeGreaterThanOrEqual(35);
    expect(demo.sessions.length).toBeLessThanOrEqual(45);
    expect(demo.registrants.length).toBe(2000);
    for (const s of demo.sessions) {
      expect(s.capacity).toBeGreaterThanOrEqual(20);
      expect(s.capacity).toBeLessThanOrEqual(500);
      const [from, to] = [s.startsAt.slice(11, 16), s.endsAt.slice(11, 16)];
      expect(from >= '09:00' && to <= '18:00' && from < to, `${s.id} ${from}–${to}`).toBe(true);
      expect(s.startsAt).toMatch(/\+00:00$/);
    }
    const keynotes = demo.sessions.filter((s) => !s.sellable);
    expect(keynotes.length).toBeGreaterThanOrEqual(3);
    for (const k of keynotes) expect(k).toMatchObject({ capacity: 500, room: expect.stringContaining('Main Hall') });
    expect(new Set(demo.ticketTypes.map((t) => t.badgeTemplate))).toEqual(new Set(['standard', 'speaker', 'sponsor']));
  });

  it('has unique ids, emails and confirmation codes', () => {
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(demo.sessions.map((s) => s.id))).toBe(true);
    expect(unique(demo.registrants.map((r) => r.id))).toBe(true);
    expect(unique(demo.registrants.map((r) => r.email))).toBe(true);
    expect(unique(demo.registrants.map((r) => r.confirmationCode))).toBe(true);
    for (const r of demo.registrants) {
      expect(r.id).toMatch(/^r-\d{5}$/);
      expect(r.confirmationCode).toMatch(/^LDC-[2-9A-HJKMNP-TV-Z]{6}$/);
      expect(r.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/);
    }
  });

  it('never gives a session more seats than its capacity, nor a person two overlapping sessions', () => {
    for (const f of sessionFill(demo)) expect(f.held, f.id).toBeLessThanOrEqual(f.capacity);
    const byId = new Map(demo.sessions.map((s) => [s.id, s]));
    for (const r of demo.registrants) {
      const held = r.sessions.map((id) => byId.get(id)!);
      expect(held.every((s) => s.sellable)).toBe(true);
      for (let i = 1; i < held.length; i++) expect(held[i]!.startsAt >= held[i - 1]!.endsAt, r.id).toBe(true);
      const dayPass = /^day-(\d+)$/.exec(r.ticketTypeId);
      if (dayPass) for (const s of held) expect(s.startsAt.slice(8, 10)).toBe(`0${dayPass[1]}`);
    }
  });

  it('has varied fill levels: sold out, ≤ 10 % left, half empty', () => {
    const fills = sessionFill(demo);
    expect(fills.filter((f) => f.left === 0).length).toBeGreaterThanOrEqual(1);
    expect(fills.filter((f) => f.left >= 1 && f.left <= 3).length).toBeGreaterThanOrEqual(2);
    expect(fills.filter((f) => f.left > 3 && f.left * 10 <= f.capacity).length).toBeGreaterThanOrEqual(1);
    expect(fills.filter((f) => f.left * 10 === f.capacity).length).toBeGreaterThanOrEqual(1);
    expect(fills.filter((f) => f.held * 2 <= f.capacity).length).toBeGreaterThanOrEqual(3);
  });

  it('has international names, with diacritics, other scripts, long and single names', () => {
    const full = demo.registrants.map((r) => `${r.firstName} ${r.lastName}`.trim());
    expect(full.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    for (const n of [
      'José Ñúñez',
      'Søren Ødegård',
      'Łucja Wróblewska',
      'Şükrü Çelik',
      'Maria da Conceição Albuquerque de Vasconcelos Figueiredo',
    ])
      expect(full).toContain(n);
    expect(full.some((n) => /\p{Script=Han}/u.test(n))).toBe(true);
    expect(demo.registrants.some((r) => r.lastName === '' && r.firstName !== '')).toBe(true);
    expect(asciiFold('Søren Ødegård Łukasz Şükrü Nguyễn Straße')).toBe('soren odegard lukasz sukru nguyen strasse');
  });

  it('matches the committed assets/demo-conference.json', () => {
    const committed = JSON.parse(readFileSync(defaultOut, 'utf8')) as unknown;
    expect(committed).toEqual(demo);
  });

  it('generates 50,000 registrants fast, programme unchanged', () => {
    const t0 = performance.now();
    const big = generateConference({ registrants: 50_000 });
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000);
    expect(big.registrants.length).toBe(50_000);
    expect(big.sessions).toEqual(demo.sessions);
    expect(new Set(big.registrants.map((r) => r.email)).size).toBe(50_000);
    expect(new Set(big.registrants.map((r) => r.confirmationCode)).size).toBe(50_000);
    for (const f of sessionFill(big)) expect(f.held).toBeLessThanOrEqual(f.capacity);
    expect(() => ConferenceFile.parse(big)).not.toThrow();
  });

  it('scales to other shapes and rejects bad options', () => {
    const small = generateConference({ registrants: 10, sessions: 120, days: 5, seed: 1 });
    expect(() => ConferenceFile.parse(small)).not.toThrow();
    expect(small.sessions.length).toBe(120);
    expect(small.conference.endsOn).toBe('2026-12-05');
    expect(() => ConferenceFile.parse(generateConference({ registrants: 0, sessions: 1, days: 1 }))).not.toThrow();
    expect(() => generateConference({ registrants: -1 })).toThrow(/registrants/);
    expect(() => generateConference({ days: 0 })).toThrow(/days/);
    expect(() => generateConference({ seed: 1.5 })).toThrow(/seed/);
  });
});

describe('parseArgs', () => {
  it('reads flags and rejects bad ones', () => {
    expect(parseArgs(['--registrants', '50', '--seed=3'])).toMatchObject({ registrants: 50, seed: 3, out: defaultOut });
    expect(() => parseArgs(['--registrants', 'many'])).toThrow(/whole number/);
    expect(() => parseArgs(['--seed'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--colour', 'blue'])).toThrow(/unknown argument/);
  });
});
