import { describe, expect, it } from 'vitest';
import speaker from '../../assets/badge-templates/speaker.json';
import sponsor from '../../assets/badge-templates/sponsor.json';
import standard from '../../assets/badge-templates/standard.json';
import {
  dotsOf,
  layoutBadge,
  layoutLines,
  layoutText,
  sizeLadder,
  type BadgeContent,
  type BadgeLayout,
  type LaidLine,
  type LayoutMeasure,
  type MissingGlyphs,
} from './layout';
import { mediaProfiles } from './printer';
import { splitGraphemes } from './scripts';
import { BadgeTemplate, type BadgeTemplateInput } from './template';

// The shipped templates (main/printing/templates.test.ts checks that the folder holds exactly these).
const templates = Object.fromEntries(
  [standard, speaker, sponsor].map((json) => {
    const t = BadgeTemplate.parse(json);
    return [t.id, t];
  }),
);
const tpl = (t: Omit<BadgeTemplateInput, 'format' | 'id' | 'name'>) =>
  BadgeTemplate.parse({ format: 'lanyard.badge-template/2', id: 't', name: 'T', ...t });

/** A stand-in for the real fonts: 0.55 em per grapheme (0.6 bold); Han is "missing" when `noCjk`. */
function fakeMeasure(opts: { noCjk?: boolean; logo?: { width: number; height: number } | null } = {}): LayoutMeasure {
  return {
    text: {
      width: (t, f) => splitGraphemes(t).length * f.size * (f.bold ? 0.6 : 0.55),
      sizes: sizeLadder,
      lineHeight: (s) => Math.round(s * 1.25),
      ascent: (s) => Math.round(s * 0.95),
      missing: (t): MissingGlyphs[] => {
        const han = [...t].filter((c) => /\p{Script=Han}/u.test(c)).join('');
        return opts.noCjk && han ? [{ script: 'Han', fontPack: 'cjk', chars: han }] : [];
      },
    },
    qrModules: () => 45,
    imageSize: (ref) =>
      ref.kind === 'conference' ? (opts.logo === undefined ? { width: 240, height: 240 } : opts.logo) : null,
  };
}
const measure = fakeMeasure();

// Dates below are only formatted and compared with `now`, which the content carries: nothing reads a clock.
const content = (over: Partial<BadgeContent> = {}, person: Partial<BadgeContent['person']> = {}): BadgeContent => ({
  conference: {
    name: 'Lanyard Demo Conf 2026',
    timezone: 'Europe/Lisbon',
    startsOn: '2026-12-01',
    endsOn: '2026-12-03',
    hasLogo: false,
  },
  person: { firstName: 'Zoë', lastName: 'Łukasz', company: 'Globex', ...person },
  ticket: { name: 'Full Pass' },
  sessions: [{ title: 'Panel discussion', startsAt: '2026-12-01T14:00:00Z', endsAt: '2026-12-01T15:00:00Z' }],
  qrCode: 'LY1|x',
  now: '2026-12-01T08:00:00Z',
  ...over,
});
const lines = (l: BadgeLayout, role?: LaidLine['role']) => layoutLines(l).filter((x) => !role || x.role === role);
const m80 = mediaProfiles['escpos-80-203']!;

describe('badge templates', () => {
  it('the shipped ones are valid', () => {
    expect(Object.keys(templates).sort()).toEqual(['speaker', 'sponsor', 'standard']);
  });

  it('rejects the old format, a template without a name, two QR codes, a logo path outside the folder', () => {
    const bad = [
      { format: 'lanyard.badge-template/1', id: 'x', name: 'X', blocks: [{ type: 'name' }] },
      { format: 'lanyard.badge-template/2', id: 'x', name: 'X', blocks: [{ type: 'qr' }] },
      {
        format: 'lanyard.badge-template/2',
        id: 'x',
        name: 'X',
        blocks: [{ type: 'name' }, { type: 'qr' }, { type: 'qr' }],
      },
      {
        format: 'lanyard.badge-template/2',
        id: 'x',
        name: 'X',
        blocks: [{ type: 'name' }, { type: 'logo', asset: '../../etc/passwd' }],
      },
      {
        format: 'lanyard.badge-template/2',
        id: 'x',
        name: 'X',
        blocks: [{ type: 'name' }, { type: 'fields', fields: ['salary'] }],
      },
      { format: 'lanyard.badge-template/2', id: 'x', name: 'X', lengthMm: 5000, blocks: [{ type: 'name' }] },
    ];
    for (const t of bad) expect(BadgeTemplate.safeParse(t).success, JSON.stringify(t)).toBe(false);
  });
});

describe('layoutBadge', () => {
  const long = content(
    {},
    {
      firstName: 'Maximilian Alexander',
      lastName: 'von Hohenzollern-Sigmaringen',
      company: 'Extremely Long Company Name Holdings International',
    },
  );
  for (const media of Object.values(mediaProfiles)) {
    for (const t of Object.values(templates)) {
      it(`${t.id} on ${media.id}: every line within the paper, blocks in order, the template's fixed length`, () => {
        for (const c of [content(), long]) {
          const l = layoutBadge(c, t, media, measure);
          for (const line of lines(l)) {
            expect(line.x).toBeGreaterThanOrEqual(0);
            expect(line.x + line.width, line.text).toBeLessThanOrEqual(media.widthDots);
          }
          for (const p of l.panels) {
            // Blocks flow top to bottom (text beside the QR code shares its rows) and stay inside their panel.
            const flow = p.blocks.filter((b, i) => !(b.kind === 'text' && p.blocks[i - 1]?.kind === 'qr'));
            for (let i = 1; i < flow.length; i++)
              expect(flow[i]!.y).toBeGreaterThanOrEqual(flow[i - 1]!.y + flow[i - 1]!.height);
            for (const b of p.blocks) expect(b.y + b.height).toBeLessThanOrEqual(p.height);
          }
          const panel =
            media.heightDots !== null
              ? t.foldOver
                ? Math.floor(media.heightDots / 2)
                : media.heightDots
              : dotsOf(media, t.lengthMm);
          expect(l.panels.map((p) => p.height)).toEqual(t.foldOver ? [panel, panel] : [panel]);
          expect(l.warnings.filter((w) => w.code === 'badge_too_long')).toEqual([]);
        }
      });
    }
  }

  it('the preferred (or first) name is the biggest text, on its own line, the rest of the name smaller', () => {
    for (const t of Object.values(templates)) {
      for (const c of [
        content(),
        long,
        content(
          {},
          {
            preferredName: 'Bill',
            firstName: 'William',
            lastName: 'Fitzgerald',
            company: 'Sponsor With A Very Large Company Name',
          },
        ),
      ]) {
        const l = layoutBadge(c, t, m80, measure);
        const big = lines(l, 'name');
        const others = lines(l).filter((x) => x.role !== 'name');
        expect(Math.min(...big.map((x) => x.font.size))).toBeGreaterThanOrEqual(
          Math.max(...others.map((x) => x.font.size)),
        );
        for (const x of others.filter((o) => o.role === 'name-rest' || o.role === 'company' || o.role === 'fields'))
          expect(x.font.size).toBeLessThan(big[0]!.font.size);
      }
    }
    const bill = layoutBadge(
      content({}, { preferredName: 'Bill', firstName: 'William', lastName: 'Fitzgerald' }),
      templates.standard!,
      m80,
      measure,
    );
    expect(lines(bill, 'name').map((x) => x.text)).toEqual(['Bill']);
    expect(lines(bill, 'name-rest').map((x) => x.text)).toEqual(['William Fitzgerald']);
  });

  it('fits a short name big and a long one smaller, on up to three lines, never splitting a word', () => {
    const short = layoutBadge(content({}, { firstName: 'Ana', lastName: 'Silva' }), templates.standard!, m80, measure);
    expect(lines(short, 'name')[0]).toMatchObject({ text: 'Ana', font: { size: dotsOf(m80, 16) } });
    const l = layoutBadge(
      content({}, { firstName: 'Venkata Satya Subrahmanya Lakshmi', lastName: 'Narasimha Chakravarthula' }),
      templates.standard!,
      m80,
      measure,
    );
    const name = lines(l, 'name');
    expect(name.map((x) => x.text).join(' ')).toBe('Venkata Satya Subrahmanya Lakshmi');
    expect(name.length).toBeLessThanOrEqual(3);
    // At least 6 mm letters (the complaint: 3 mm while the company stayed larger).
    expect(name[0]!.font.size).toBeGreaterThanOrEqual(dotsOf(m80, 6));
    expect(l.warnings.filter((w) => w.field === 'name')).toEqual([]);
  });

  it('writes CJK names family name first without a space, and right-aligns a right-to-left name', () => {
    const kim = layoutBadge(
      content({}, { firstName: '지우', lastName: '김', company: 'Sunflower Learning' }),
      templates.standard!,
      m80,
      measure,
    );
    expect(lines(kim, 'name')).toMatchObject([{ text: '김지우', font: { lang: 'ko' } }]);
    expect(lines(kim, 'name-rest')).toEqual([]);
    const yang = layoutBadge(content({}, { firstName: '洋', lastName: '杨' }), templates.standard!, m80, measure);
    expect(lines(yang, 'name')).toMatchObject([{ text: '杨洋', font: { lang: 'zh-CN' } }]);
    const omar = layoutBadge(
      content({}, { firstName: 'عمر', lastName: 'صالح', company: 'École Polytechnique' }),
      templates.standard!,
      m80,
      measure,
    );
    const margin = dotsOf(m80, templates.standard!.marginMm);
    for (const x of [...lines(omar, 'name'), ...lines(omar, 'name-rest')])
      expect(x).toMatchObject({ dir: 'rtl', align: 'right', x: m80.widthDots - margin - x.width });
    // The company in Latin letters stays left-aligned.
    expect(lines(omar, 'company')[0]).toMatchObject({ dir: 'ltr', align: 'left', x: margin });
  });

  it('shows the ticket type large, the valid days inverted and the others struck out; no day row for a one-day event', () => {
    const day2 = layoutBadge(
      content({ ticket: { name: 'Day Pass — Wed 2 Dec', label: 'Day pass', days: [2] } }),
      templates.standard!,
      m80,
      measure,
    );
    expect(lines(day2, 'ticket')).toMatchObject([{ text: 'DAY PASS', invert: true }]);
    expect(lines(day2, 'ticket')[0]!.font.size).toBeGreaterThanOrEqual(dotsOf(m80, 6));
    expect(lines(day2, 'day').map((d) => [d.text, d.invert, d.strike])).toEqual([
      ['TUE', false, true],
      ['WED', true, false],
      ['THU', false, true],
    ]);
    const full = layoutBadge(content(), templates.standard!, m80, measure);
    expect(lines(full, 'day').every((d) => d.invert && !d.strike)).toBe(true);
    const oneDay = layoutBadge(
      content({ conference: { ...content().conference, endsOn: '2026-12-01' } }),
      templates.standard!,
      m80,
      measure,
    );
    expect(lines(oneDay, 'day')).toEqual([]);
  });

  it('lists their own talks first, leaves sessions already over off, and says how many more there are', () => {
    const at = (d: number, h: number) => `2026-12-0${d}T${String(h).padStart(2, '0')}:00:00Z`;
    const sessions = [
      { title: 'Opening keynote', startsAt: at(1, 9), endsAt: at(1, 10) },
      { title: 'Workshop A', startsAt: at(1, 10), endsAt: at(1, 12) },
      { title: 'Sync engines', startsAt: at(1, 14), endsAt: at(1, 15) },
      { title: 'Rate limiting', startsAt: at(2, 10), endsAt: at(2, 11) },
      { title: 'Idempotency', startsAt: at(2, 12), endsAt: at(2, 13) },
      { title: 'Monorepos', startsAt: at(3, 10), endsAt: at(3, 11) },
      { title: 'SQLite at the Edge', startsAt: at(3, 15), endsAt: at(3, 16), role: 'speaker' as const },
      { title: 'Green events', startsAt: at(3, 12), endsAt: at(3, 13), role: 'moderator' as const },
    ];
    // 11:00 on day 1 (Lisbon is UTC in December): the keynote is over, the workshop still running.
    const zpl = mediaProfiles['zpl-4x6-203']!;
    const l = layoutBadge(content({ sessions, now: at(1, 11) }), templates.standard!, zpl, measure);
    const text = lines(l, 'session').map((x) => x.text);
    expect(text.slice(0, 3)).toEqual([
      'Moderating · Thu 12:00 Green events',
      'Speaking · Thu 15:00 SQLite at the Edge',
      'Tue 10:00 Workshop A',
    ]);
    expect(layoutText(l).join(' ')).not.toContain('Opening keynote');
    expect(
      lines(l, 'session')
        .filter((x) => x.font.bold)
        .map((x) => x.text),
    ).toEqual(text.slice(0, 2));
    const shown = text.length;
    expect(shown).toBeGreaterThanOrEqual(4);
    expect(lines(l, 'more').map((x) => x.text)).toEqual(shown < 7 ? [`+${7 - shown} more`] : []);
    // On 80 mm paper, fewer fit: still their own first, and the count of the rest.
    const narrow = layoutBadge(content({ sessions, now: at(1, 11) }), templates.standard!, m80, measure);
    expect(lines(narrow, 'session')[0]!.text).toMatch(/^Moderating · Thu 12:00/);
    expect(lines(narrow, 'more')).toHaveLength(1);
    // After the last session, the block is gone.
    expect(
      lines(layoutBadge(content({ sessions, now: at(3, 17) }), templates.standard!, m80, measure), 'session'),
    ).toEqual([]);
  });

  it('prints a fold-over badge twice as long, the back turned 180° with the name again', () => {
    const l = layoutBadge(
      content({}, { preferredName: 'Bill', firstName: 'William', lastName: 'Fitzgerald' }),
      templates.speaker!,
      m80,
      measure,
    );
    expect(l.panels.map((p) => p.rotated)).toEqual([false, true]);
    expect(l.height).toBe(2 * dotsOf(m80, templates.speaker!.lengthMm));
    const back = l.panels[1]!.blocks.flatMap((b) => (b.kind === 'text' ? b.lines.map((x) => x.text) : []));
    expect(back).toEqual(['SPEAKER', 'Bill', 'William Fitzgerald', 'Globex']);
    expect(l.panels[1]!.blocks.some((b) => b.kind === 'qr')).toBe(false);
  });

  it('sizes the QR code for phone cameras: modules of at least 0.6 mm, over 30 mm wide on 80 mm paper', () => {
    const qr = layoutBadge(content(), templates.standard!, m80, measure).panels[0]!.blocks.find((b) => b.kind === 'qr');
    expect(qr && qr.kind === 'qr' && (qr.moduleDots * 25.4) / m80.dpi).toBeGreaterThanOrEqual(0.6);
    expect(qr && qr.kind === 'qr' && qr.size).toBeGreaterThanOrEqual(dotsOf(m80, 30));
    const tiny = layoutBadge(
      content(),
      tpl({ blocks: [{ type: 'name' }, { type: 'qr', sizeMm: 15 }] }),
      mediaProfiles['escpos-58-180']!,
      { ...measure, qrModules: () => 85 },
    );
    expect(tiny.warnings.map((w) => w.code)).toContain('qr_too_small');
  });

  it('prints the optional fields the template chooses, and leaves them out when the registrant has none', () => {
    const t = tpl({
      blocks: [
        { type: 'name' },
        { type: 'fields', fields: ['pronouns', 'country', 'answer:tshirt'] },
        { type: 'qr', side: ['dietary', 'accessibility'] },
      ],
    });
    const l = layoutBadge(
      content(
        {},
        {
          pronouns: 'she/her',
          country: 'pt',
          dietary: 'Vegetarian',
          accessibility: 'Step-free access',
          answers: { tshirt: 'M' },
        },
      ),
      t,
      m80,
      measure,
    );
    expect(lines(l, 'fields').map((x) => x.text)).toEqual(['she/her · Portugal · M', 'Vegetarian', 'Step-free access']);
    // Beside the QR code, inside the paper and clear of it.
    const qr = l.panels[0]!.blocks.find((b) => b.kind === 'qr')!;
    for (const x of lines(l, 'fields').slice(1)) expect(x.x + x.width).toBeLessThanOrEqual(qr.kind === 'qr' ? qr.x : 0);
    expect(lines(layoutBadge(content(), t, m80, measure), 'fields')).toEqual([]);
  });

  it('puts the conference logo beside its name in the header, and says so when the logo cannot be read', () => {
    const withLogo = layoutBadge(
      content({ conference: { ...content().conference, hasLogo: true } }),
      templates.standard!,
      m80,
      measure,
    );
    const blocks = withLogo.panels[0]!.blocks;
    expect(blocks.some((b) => b.kind === 'image' && b.ref.kind === 'conference')).toBe(true);
    expect(lines(withLogo, 'header').map((x) => x.text)).toEqual(['Lanyard Demo Conf 2026']);
    const unreadable = layoutBadge(
      content({ conference: { ...content().conference, hasLogo: true } }),
      templates.standard!,
      m80,
      fakeMeasure({ logo: null }),
    );
    expect(unreadable.warnings.map((w) => w.code)).toContain('logo_missing');
    expect(lines(unreadable, 'header').map((x) => x.text)).toEqual(['Lanyard Demo Conf 2026']);
  });

  it('warns with a code when no font can draw part of the name: never boxes in silence', () => {
    const l = layoutBadge(
      content({}, { firstName: '洋', lastName: '杨' }),
      templates.standard!,
      m80,
      fakeMeasure({ noCjk: true }),
    );
    expect(l.warnings).toContainEqual(
      expect.objectContaining({ code: 'missing_glyphs', field: 'name', script: 'Han', fontPack: 'cjk', chars: '杨洋' }),
    );
    expect(l.warnings.find((w) => w.code === 'missing_glyphs')!.words).toContain('CJK font pack');
    expect(layoutBadge(content(), templates.standard!, m80, fakeMeasure({ noCjk: true })).warnings).toEqual([]);
  });

  it('shrinks everything a step at a time to keep the fixed length, and only then grows (with a warning)', () => {
    const blocks: BadgeTemplateInput['blocks'] = [
      { type: 'header' },
      { type: 'name' },
      { type: 'company' },
      { type: 'ticket' },
      { type: 'qr' },
    ];
    const roomy = layoutBadge(content(), tpl({ lengthMm: 120, blocks }), m80, measure);
    const l = layoutBadge(content(), tpl({ lengthMm: 95, blocks }), m80, measure);
    expect(l.height).toBe(dotsOf(m80, 95));
    expect(lines(l, 'name')[0]!.font.size).toBeLessThan(lines(roomy, 'name')[0]!.font.size);
    expect(l.warnings).toEqual([]);
    const cramped = layoutBadge(
      long,
      tpl({ lengthMm: 40, blocks: [{ type: 'name', minSizeMm: 10 }, { type: 'company' }, { type: 'qr' }] }),
      m80,
      measure,
    );
    expect(cramped.height).toBeGreaterThan(dotsOf(m80, 40));
    expect(cramped.warnings.map((w) => w.code)).toContain('badge_too_long');
  });
});
