import { describe, expect, it } from 'vitest';
import speaker from '../../assets/badge-templates/speaker.json';
import sponsor from '../../assets/badge-templates/sponsor.json';
import standard from '../../assets/badge-templates/standard.json';
import { cellLength } from './fit';
import { colsAt, layoutBadge, layoutText, type BadgeContent, type LayoutMeasure } from './layout';
import { mediaProfiles } from './printer';
import { BadgeTemplate } from './template';

// The shipped templates (main/printing/templates.test.ts checks that the folder holds exactly these).
const templates = Object.fromEntries([standard, speaker, sponsor].map((json) => {
  const t = BadgeTemplate.parse(json);
  return [t.id, t];
}));
const measure: LayoutMeasure = { qrModules: () => 45, logoSize: (a) => (a === 'lanyard-logo.png' ? { width: 256, height: 64 } : null) };
const content = (over: Partial<BadgeContent> = {}): BadgeContent => ({
  conferenceName: 'Lanyard Demo Conf 2026', timezone: 'Europe/Lisbon', firstName: 'Zoë', lastName: 'Łukasz', company: 'Globex',
  // The session date is only formatted here; nothing compares it with now.
  ticketTypeName: 'Full Pass', sessions: [{ title: 'Panel discussion', startsAt: '2026-12-01T14:00:00Z' }], qrCode: 'LY1|x', ...over,
});

describe('badge templates in assets', () => {
  it('standard, speaker and sponsor are valid', () => {
    expect(Object.keys(templates).sort()).toEqual(['speaker', 'sponsor', 'standard']);
  });

  it('rejects a template without a name block or with two QR codes', () => {
    expect(BadgeTemplate.safeParse({ format: 'lanyard.badge-template/1', id: 'x', name: 'X', blocks: [{ type: 'qr' }] }).success).toBe(false);
    expect(BadgeTemplate.safeParse({ format: 'lanyard.badge-template/1', id: 'x', name: 'X', blocks: [{ type: 'name' }, { type: 'qr' }, { type: 'qr' }] }).success).toBe(false);
    expect(BadgeTemplate.safeParse({ format: 'lanyard.badge-template/1', id: 'x', name: 'X', blocks: [{ type: 'name' }, { type: 'logo', asset: '../../etc/passwd' }] }).success).toBe(false);
  });
});

describe('layoutBadge', () => {
  for (const media of Object.values(mediaProfiles)) {
    for (const t of Object.values(templates)) {
      it(`${t.id} on ${media.id}: every line fits the paper, the QR too`, () => {
        const l = layoutBadge(content({ firstName: 'Maximilian Alexander', lastName: 'von Hohenzollern-Sigmaringen', company: 'Extremely Long Company Name Holdings International' }), t, media, measure);
        for (const b of l.blocks) {
          if (b.kind === 'text') for (const line of b.lines) expect(cellLength(line) * media.cellWidth * b.scale).toBeLessThanOrEqual(media.widthDots);
          if (b.kind === 'qr') expect(b.size).toBeLessThanOrEqual(media.widthDots);
        }
        // Blocks flow top to bottom without overlapping.
        let y = 0;
        for (const b of l.blocks) {
          expect(b.y).toBe(y);
          y += b.kind === 'logo' ? b.height : b.height;
        }
        expect(l.height).toBe(y);
      });
    }
  }

  it('fits a short name big and a long one smaller, never splitting a word', () => {
    const m = mediaProfiles['escpos-80-203']!;
    const short = layoutBadge(content({ firstName: 'Ana', lastName: 'Silva' }), templates.standard!, m, measure);
    const name = (l: ReturnType<typeof layoutBadge>) => l.blocks.find((b) => b.kind === 'text' && b.role === 'name') as { scale: number; lines: string[] };
    expect(name(short)).toMatchObject({ scale: 4, lines: ['Ana Silva'] });
    const long = layoutBadge(content({ firstName: 'Maximilian Alexander', lastName: 'von Hohenzollern-Sigmaringen' }), templates.standard!, m, measure);
    expect(name(long).scale).toBeLessThan(4);
    expect(name(long).lines.join(' ')).toBe('Maximilian Alexander von Hohenzollern-Sigmaringen');
    const narrow = layoutBadge(content({ firstName: 'Maximilian Alexander', lastName: 'von Hohenzollern-Sigmaringen' }), templates.standard!, mediaProfiles['escpos-58-180']!, measure);
    expect(name(narrow).scale).toBeLessThanOrEqual(name(long).scale);
    expect(colsAt(mediaProfiles['escpos-58-180']!, 1)).toBe(30);
  });

  it('lists sessions in the conference time zone, with "+N more" beyond the template max', () => {
    const sessions = Array.from({ length: 6 }, (_, i) => ({ title: `Session ${i + 1}`, startsAt: `2026-12-0${1 + (i % 3)}T1${i}:00:00Z` }));
    const l = layoutBadge(content({ sessions }), templates.standard!, mediaProfiles['escpos-80-203']!, measure);
    const text = layoutText(l);
    expect(text).toContain('Your sessions');
    expect(text).toContain('Tue 10:00 Session 1'); // Lisbon is UTC in December
    expect(text).toContain('+3 more');
  });

  it('warns instead of failing when a logo is missing, and leaves the QR out when there is no code', () => {
    const l = layoutBadge(content({ qrCode: null }), templates.sponsor!, mediaProfiles['escpos-80-203']!, { ...measure, logoSize: () => null });
    expect(l.warnings.join(' ')).toContain('lanyard-logo.png is missing');
    expect(l.blocks.some((b) => b.kind === 'qr' || b.kind === 'logo')).toBe(false);
  });

  it('shrinks QR modules to fit narrow paper', () => {
    const l = layoutBadge(content(), templates.standard!, mediaProfiles['escpos-58-180']!, { ...measure, qrModules: () => 85 });
    const qr = l.blocks.find((b) => b.kind === 'qr');
    expect(qr && qr.kind === 'qr' && qr.size <= 360).toBe(true);
  });
});
