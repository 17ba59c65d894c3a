/**
 * The badge layout model: a template applied to one registrant on one kind of stock, in printer dots. Pure: what
 * needs a library or a file (how wide a text is in the real font, which characters no font has, how many modules a
 * QR code has, how big a logo is) is measured by functions passed in from main/printing. Every output (the raster
 * that is the PNG preview, the ESC/POS job and the ZPL job; the text-mode jobs) draws this one model; text is
 * already wrapped and fitted here.
 */
import { ellipsize, fitText, normalizeText, type Fitted } from './fit';
import { badgeName, type PersonName } from './names';
import type { Media } from './printer';
import { directionOf, langOf, type Direction } from './scripts';
import type { BadgeTemplate, RegistrantField, TemplateBlock } from './template';
import type { BadgeWarning } from './views';

export type SessionRole = 'speaker' | 'moderator';

export interface BadgeContent {
  conference: { name: string; timezone: string; startsOn: string; endsOn: string; hasLogo: boolean };
  person: PersonName & {
    company: string;
    pronouns?: string | null;
    /** ISO 3166-1 alpha-2. */
    country?: string | null;
    accessibility?: string | null;
    dietary?: string | null;
    /** Custom questions of the import: question id → answer. */
    answers?: Record<string, string> | null;
  };
  /** `days`: the conference days (1 = the first) the ticket is valid on; null or absent: every day. */
  ticket: { name: string; label?: string | null; days?: number[] | null };
  /** Seats, and the sessions the person speaks at or moderates (`role`). */
  sessions: { title: string; startsAt: string; endsAt: string; role?: SessionRole | null }[];
  /** The signed QR payload; null leaves the QR block out. */
  qrCode: string | null;
  /** The station's clock (ISO-8601): sessions already over are left off. */
  now: string;
}

export interface FontSpec {
  /** Em size in dots. */
  size: number;
  bold: boolean;
  /** BCP 47 tag ("ko", "zh-CN", "und"): picks CJK glyph forms. */
  lang: string;
}

export interface MissingGlyphs {
  script: string;
  /** The font pack that would draw them ("cjk"), null when this station knows of none. */
  fontPack: string | null;
  chars: string;
}

/** Text as the output will draw it: the real fonts for a raster, the printer's own font in text mode. */
export interface TextMeasure {
  width(text: string, font: FontSpec): number;
  /** The sizes the output can set between `max` and `min` dots, largest first. */
  sizes(max: number, min: number): number[];
  /** Height of one line box at `size`, and where the baseline sits in it. */
  lineHeight(size: number): number;
  ascent(size: number): number;
  /** Characters no available font (or code page) can draw, by script. */
  missing(text: string): MissingGlyphs[];
}

export type ImageRef = { kind: 'conference' } | { kind: 'asset'; name: string };

export interface LayoutMeasure {
  text: TextMeasure;
  /** Modules per side of the QR symbol for this data (without the quiet zone). */
  qrModules(data: string, ecLevel: 'L' | 'M' | 'Q' | 'H'): number;
  /** Pixel size of an image, or null when it is missing or unreadable. */
  imageSize(ref: ImageRef): { width: number; height: number } | null;
}

export type TextRole =
  'name' | 'name-rest' | 'company' | 'fields' | 'ticket' | 'day' | 'header' | 'text' | 'heading' | 'session' | 'more';
export type LineAlign = 'left' | 'center' | 'right';

export interface LaidLine {
  role: TextRole;
  text: string;
  /** Left edge of the text, its measured width, the top of its line box and its baseline, in dots. */
  x: number;
  width: number;
  y: number;
  height: number;
  baseline: number;
  font: FontSpec;
  dir: Direction;
  align: LineAlign;
  /** White on black. */
  invert: boolean;
  /** Struck out (a day the ticket is not valid on). */
  strike: boolean;
  /** The box an inverted or struck line fills, when it is wider than the text (a day's cell). */
  cell?: { x: number; width: number };
}

export type LaidBlock =
  | { kind: 'text'; y: number; height: number; lines: LaidLine[]; band: boolean }
  | {
      kind: 'qr';
      y: number;
      height: number;
      x: number;
      data: string;
      ecLevel: 'L' | 'M' | 'Q' | 'H';
      modules: number;
      moduleDots: number;
      quietModules: number;
      size: number;
    }
  | { kind: 'image'; y: number; height: number; x: number; width: number; ref: ImageRef }
  | { kind: 'rule'; y: number; height: number; thickness: number }
  | { kind: 'space'; y: number; height: number };

/** A part of the print; the back of a fold-over badge is drawn turned 180°. Block positions are panel-relative. */
export interface Panel {
  y: number;
  height: number;
  rotated: boolean;
  blocks: LaidBlock[];
}

export interface BadgeLayout {
  templateId: string;
  media: Media;
  width: number;
  /** The whole print in dots (both panels of a fold-over badge). */
  height: number;
  panels: Panel[];
  warnings: BadgeWarning[];
}

export const QUIET_MODULES = 4;
/** Line box and baseline as fractions of the em: room for accents above capitals and marks below (Devanagari, Thai). */
export const LINE_EM = 1.25;
export const ASCENT_EM = 0.95;

export const dotsOf = (media: Media, mm: number): number => Math.round((mm * media.dpi) / 25.4);

/** Sizes from `max` down to `min` in steps of about 4%, for an output that can set any size (a raster). */
export function sizeLadder(max: number, min: number): number[] {
  const out: number[] = [];
  const lo = Math.max(1, Math.round(Math.min(min, max)));
  for (let s = Math.round(max); s > lo; s = Math.min(s - 1, Math.floor(s * 0.96))) out.push(s);
  out.push(lo);
  return out;
}

const FIELD_NAMES: Record<string, string> = {
  pronouns: 'pronouns',
  country: 'country',
  accessibility: 'accessibility needs',
  dietary: 'dietary needs',
};

let regions: Intl.DisplayNames | null = null;
function countryName(code: string): string {
  try {
    regions ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The value of an optional registrant field as printed, or '' when the registrant has none. */
export function fieldValue(content: BadgeContent, field: RegistrantField): string {
  const p = content.person;
  if (field.startsWith('answer:')) return normalizeText(p.answers?.[field.slice('answer:'.length)] ?? '');
  if (field === 'country') return p.country ? countryName(p.country) : '';
  return normalizeText(p[field as 'pronouns' | 'accessibility' | 'dietary'] ?? '');
}

interface Piece {
  height: number;
  /** Blocks at panel offset y. */
  place(y: number): LaidBlock[];
}

/** How far sizes shrink, step by step, before a badge may outgrow its template's fixed length. */
const SHRINK_STEPS = [1, 0.92, 0.85, 0.78, 0.72];

/**
 * Lays out one badge at the template's fixed length. When the content does not fit, every size shrinks a step at a
 * time (down to 72%); only then does a badge on continuous stock come out longer (or a label get cut), with a warning.
 */
export function layoutBadge(
  content: BadgeContent,
  template: BadgeTemplate,
  media: Media,
  measure: LayoutMeasure,
): BadgeLayout {
  let last: BadgeLayout | null = null;
  for (const shrink of SHRINK_STEPS) {
    const { layout, overflow } = layoutAt(content, template, media, measure, shrink);
    if (!overflow) return layout;
    last = layout;
  }
  return last!;
}

function layoutAt(
  content: BadgeContent,
  template: BadgeTemplate,
  media: Media,
  measure: LayoutMeasure,
  shrink: number,
): { layout: BadgeLayout; overflow: boolean } {
  const warnings: BadgeWarning[] = [];
  const warn = (w: BadgeWarning) => {
    if (!warnings.some((x) => x.code === w.code && x.field === w.field && x.script === w.script)) warnings.push(w);
  };
  const mm = (v: number) => dotsOf(media, v);
  // Sizes from the template, shrunk when the badge would otherwise outgrow its fixed length.
  const sz = (v: number) => dotsOf(media, v * shrink);
  const tm = measure.text;
  const W = media.widthDots;
  const margin = mm(template.marginMm);
  const left = margin;
  const inner = W - 2 * margin;

  const name = badgeName(content.person);
  const nameLang = langOf(name.full, content.person.country);

  // Characters no font can draw, said once per script (the name and company are what matter most).
  const checkGlyphs = (field: string, text: string) => {
    for (const m of tm.missing(text)) {
      const pack = m.fontPack
        ? `the ${m.fontPack.toUpperCase()} font pack`
        : `a font for ${m.script.replace(/_/g, ' ')}`;
      const what = field === 'name' ? 'This name' : `The ${field}`;
      warn({
        code: 'missing_glyphs',
        field,
        script: m.script,
        fontPack: m.fontPack,
        chars: m.chars,
        words: `${what} needs ${pack} (${m.script}: ${m.chars}); without it those letters print as empty boxes.`,
      });
    }
  };

  const lineOf = (
    role: TextRole,
    text: string,
    font: FontSpec,
    y: number,
    align: 'start' | 'center' | 'end',
    box: { x: number; width: number },
    opts: { invert?: boolean; strike?: boolean; dir?: Direction; cell?: boolean } = {},
  ): LaidLine => {
    const dir = opts.dir ?? directionOf(text);
    const width = Math.min(box.width, Math.ceil(tm.width(text, font)));
    const resolved: LineAlign =
      align === 'center' ? 'center' : (align === 'start') === (dir === 'ltr') ? 'left' : 'right';
    const x =
      resolved === 'left'
        ? box.x
        : resolved === 'right'
          ? box.x + box.width - width
          : box.x + Math.floor((box.width - width) / 2);
    const height = tm.lineHeight(font.size);
    const line: LaidLine = {
      role,
      text,
      x,
      width,
      y,
      height,
      baseline: y + tm.ascent(font.size),
      font,
      dir,
      align: resolved,
      invert: opts.invert ?? false,
      strike: opts.strike ?? false,
    };
    if (opts.cell) line.cell = { ...box };
    return line;
  };

  /**
   * Fits and lays a text, preferring fewer lines: one line down to `keep` × max, then two, ..., and the last allowed
   * line count down to `min` (a name on one line a little smaller reads better than the same name broken in two).
   */
  const fitted = (
    role: TextRole,
    field: string,
    text: string,
    o: {
      max: number;
      min: number;
      maxLines: number;
      bold: boolean;
      align: 'start' | 'center' | 'end';
      lang?: string;
      keep?: number;
      band?: boolean;
      box?: { x: number; width: number };
    },
  ) => {
    const lang = o.lang ?? langOf(text, content.person.country);
    const box = o.box ?? { x: left, width: inner };
    const pad = o.band ? mm(1.5) : 0;
    const widthOf = (s: string, size: number) => tm.width(s, { size, bold: o.bold, lang });
    const base = { maxWidth: box.width - 2 * pad, width: widthOf, lang };
    const min = Math.min(o.min, o.max);
    let f: Fitted | null = null;
    for (let lines = 1; lines <= o.maxLines && (!f || f.truncated); lines++) {
      const floor = lines === o.maxLines ? min : Math.max(min, o.max * (o.keep ?? 0.7));
      f = fitText(text, { ...base, sizes: tm.sizes(o.max, floor), maxLines: lines });
    }
    if (f!.truncated) warn({ code: 'text_shortened', field, words: `The ${field} did not fit and was shortened.` });
    const fit = f!;
    const font = { size: fit.size, bold: o.bold, lang };
    const lh = tm.lineHeight(fit.size);
    const dir = directionOf(text);
    return {
      size: fit.size,
      lines: fit.lines,
      height: fit.lines.length * lh,
      place: (y: number): LaidLine[] =>
        fit.lines.map((t, i) =>
          lineOf(
            role,
            t,
            font,
            y + i * lh,
            o.align,
            { x: box.x + pad, width: box.width - 2 * pad },
            { invert: o.band ?? false, dir },
          ),
        ),
    };
  };

  const textPiece = (parts: { height: number; place(y: number): LaidLine[] }[], band = false, gapAfter = 0): Piece => {
    const height = parts.reduce((n, p) => n + p.height, 0);
    if (height === 0) return { height: 0, place: () => [] };
    return {
      height: height + gapAfter,
      place: (y) => {
        const lines: LaidLine[] = [];
        let yy = y;
        for (const p of parts) {
          lines.push(...p.place(yy));
          yy += p.height;
        }
        return [{ kind: 'text', y, height, lines, band }];
      },
    };
  };

  // The name first: every other text on the badge is sized against its big line.
  const nameBlock = template.blocks.find((b): b is Extract<TemplateBlock, { type: 'name' }> => b.type === 'name')!;
  checkGlyphs('name', name.full + (name.primary === name.full ? '' : ` ${name.primary}`));
  const primary = fitted('name', 'name', name.primary, {
    max: sz(nameBlock.sizeMm),
    min: mm(nameBlock.minSizeMm),
    maxLines: nameBlock.maxLines,
    bold: true,
    align: nameBlock.align,
    lang: nameLang,
    keep: 0.6,
  });
  // Nothing else is as big as the big line: the rest of the name, the company and the fields stay under 3/4 of it,
  // labels (the ticket type, a SPEAKER band) under it.
  const cap = Math.floor(primary.size * 0.75);
  const capped = (v: number) => Math.max(1, Math.min(sz(v), cap));
  const underName = (v: number) => Math.max(1, Math.min(sz(v), primary.size));
  const secondary = name.secondary
    ? fitted('name-rest', 'name', name.secondary, {
        max: capped(nameBlock.restSizeMm),
        min: Math.min(capped(nameBlock.restSizeMm), mm(2.5)),
        maxLines: 2,
        bold: false,
        align: nameBlock.align,
        lang: nameLang,
      })
    : null;
  // The rest of the name follows the big line's side: right for an Arabic or Hebrew name.
  const nameDir = directionOf(name.primary);
  const fieldsText = (fields: readonly RegistrantField[]) => fields.map((f) => fieldValue(content, f)).filter(Boolean);

  const build = (b: TemplateBlock, back: boolean): Piece | 'sessions' | 'fill' | null => {
    switch (b.type) {
      case 'header': {
        const size = content.conference.hasLogo ? measure.imageSize({ kind: 'conference' }) : null;
        if (content.conference.hasLogo && !size)
          warn({
            code: 'logo_missing',
            field: 'header',
            words: 'The conference logo could not be read; the conference name is printed instead.',
          });
        if (size && size.width > 0 && size.height > 0) {
          if (!b.name) return imagePiece({ kind: 'conference' }, size, sz(b.logoHeightMm), b.align, mm(1.5));
          // Logo at the start, the conference's name beside it, centred on the logo's height.
          const h = sz(b.logoHeightMm);
          const w = Math.min(Math.round((size.width * h) / size.height), Math.floor(inner / 3));
          const ih = Math.round((size.height * w) / size.width);
          const box = { x: left + w + mm(2), width: inner - w - mm(2) };
          const t = fitted('header', 'conference name', content.conference.name, {
            max: capped(b.sizeMm),
            min: capped(b.sizeMm) * 0.6,
            maxLines: 2,
            bold: true,
            align: 'start',
            box,
          });
          const height = Math.max(ih, t.height);
          return {
            height: height + mm(1.5),
            place: (y) => [
              {
                kind: 'image',
                y: y + Math.floor((height - ih) / 2),
                height: ih,
                x: left,
                width: w,
                ref: { kind: 'conference' },
              },
              ...textPiece([t]).place(y + Math.floor((height - t.height) / 2)),
            ],
          };
        }
        const t = fitted('header', 'conference name', content.conference.name, {
          max: capped(b.sizeMm),
          min: capped(b.sizeMm) * 0.6,
          maxLines: 2,
          bold: true,
          align: b.align,
        });
        return textPiece([t], false, mm(1.5));
      }
      case 'name': {
        const parts = [primary, ...(secondary ? [secondary] : [])].map((p) => ({
          height: p.height,
          place: (y: number) => p.place(y).map((l) => realign(l, nameBlock.align, nameDir)),
        }));
        return textPiece(parts, false, mm(1));
      }
      case 'company': {
        if (!content.person.company.trim()) return null;
        if (!back) checkGlyphs('company', content.person.company);
        const t = fitted('company', 'company', content.person.company, {
          max: capped(b.sizeMm),
          min: Math.min(capped(b.sizeMm), sz(b.minSizeMm)),
          maxLines: b.maxLines,
          bold: b.bold,
          align: b.align,
        });
        return textPiece([t], false, mm(1));
      }
      case 'fields': {
        const values = fieldsText(b.fields);
        if (values.length === 0) return null;
        const text = values.join(' · ');
        if (!back) checkGlyphs('fields', text);
        const t = fitted('fields', b.fields.map((f) => FIELD_NAMES[f] ?? f).join(', '), text, {
          max: capped(b.sizeMm),
          min: Math.min(capped(b.sizeMm), mm(2.5)),
          maxLines: 2,
          bold: b.bold,
          align: b.align,
        });
        return textPiece([t], false, mm(1));
      }
      case 'text': {
        const t = fitted('text', 'label', b.text, {
          max: underName(b.sizeMm),
          min: underName(b.sizeMm) * 0.6,
          maxLines: 1,
          bold: b.bold,
          align: b.align,
          band: b.invert,
        });
        return textPiece([t], b.invert, mm(1.5));
      }
      case 'ticket':
        return back ? null : ticketPiece(b);
      case 'sessions':
        return back ? null : 'sessions';
      case 'qr':
        return back ? null : qrPiece(b);
      case 'logo': {
        const size = measure.imageSize({ kind: 'asset', name: b.asset });
        if (!size) {
          warn({ code: 'logo_missing', field: 'logo', words: `The logo ${b.asset} is missing and was left out.` });
          return null;
        }
        return imagePiece({ kind: 'asset', name: b.asset }, size, sz(b.heightMm), b.align, mm(1.5));
      }
      case 'rule': {
        const thickness = Math.max(1, mm(b.thicknessMm));
        const height = thickness + mm(2);
        return {
          height,
          place: (y) => [{ kind: 'rule', y: y + Math.floor((height - thickness) / 2), height: thickness, thickness }],
        };
      }
      case 'space':
        if (b.fill) return 'fill';
        return { height: sz(b.mm), place: (y) => [{ kind: 'space', y, height: sz(b.mm) }] };
    }
  };

  function realign(l: LaidLine, align: 'start' | 'center' | 'end', dir: Direction): LaidLine {
    if (align === 'center' || l.dir === dir) return l;
    return lineOf(l.role, l.text, l.font, l.y, align, { x: left, width: inner }, { dir });
  }

  function imagePiece(
    ref: ImageRef,
    size: { width: number; height: number },
    maxHeight: number,
    align: 'start' | 'center' | 'end',
    gapAfter: number,
  ): Piece {
    const scale = Math.min(maxHeight / size.height, inner / size.width);
    const w = Math.max(1, Math.round(size.width * scale));
    const h = Math.max(1, Math.round(size.height * scale));
    const x = align === 'start' ? left : align === 'end' ? left + inner - w : left + Math.floor((inner - w) / 2);
    return { height: h + gapAfter, place: (y) => [{ kind: 'image', y, height: h, x, width: w, ref }] };
  }

  function ticketPiece(b: Extract<TemplateBlock, { type: 'ticket' }>): Piece {
    const label = normalizeText(content.ticket.label || content.ticket.name).toLocaleUpperCase('en');
    const band = fitted('ticket', 'ticket type', label, {
      max: underName(b.sizeMm),
      min: Math.min(underName(b.sizeMm), sz(b.minSizeMm)),
      maxLines: 2,
      bold: true,
      align: b.align,
      band: b.invert,
      keep: 0,
    });
    const parts = [band];
    const days = conferenceDays(content.conference.startsOn, content.conference.endsOn);
    let dayRow: Piece | null = null;
    if (b.days && days.length >= 2) {
      const valid = new Set(content.ticket.days ?? days.map((_, i) => i + 1));
      const labels = days.map((d) => (days.length <= 7 ? WEEKDAYS[d.getUTCDay()]! : String(d.getUTCDate())));
      const gap = mm(1.5);
      const cellW = Math.floor((inner - gap * (days.length - 1)) / days.length);
      const pad = mm(1);
      const widest = (size: number) => Math.max(...labels.map((l) => tm.width(l, { size, bold: true, lang: 'und' })));
      const size = tm.sizes(underName(b.daySizeMm), mm(2.5)).find((s) => widest(s) <= cellW - 2 * pad) ?? mm(2.5);
      const font = { size, bold: true, lang: 'und' };
      const h = tm.lineHeight(size);
      dayRow = {
        height: h + mm(1),
        place: (y) => [
          {
            kind: 'text',
            y,
            height: h,
            band: false,
            lines: labels.map((l, i) =>
              lineOf(
                'day',
                l,
                font,
                y + mm(0.5),
                'center',
                { x: left + i * (cellW + gap), width: cellW },
                { invert: valid.has(i + 1), strike: !valid.has(i + 1), cell: true },
              ),
            ),
          },
        ],
      };
    }
    const head = textPiece(parts, b.invert, dayRow ? mm(1) : mm(1.5));
    return {
      height: head.height + (dayRow?.height ?? 0),
      place: (y) => [...head.place(y), ...(dayRow ? dayRow.place(y + head.height) : [])],
    };
  }

  function qrPiece(b: Extract<TemplateBlock, { type: 'qr' }>): Piece | null {
    if (content.qrCode === null) return null;
    const modules = measure.qrModules(content.qrCode, b.ecLevel);
    // Phones read 0.5 mm modules at a door; the code shrinks with the rest only down to about 28 mm.
    const target = Math.min(Math.max(sz(b.sizeMm), Math.min(mm(b.sizeMm), mm(28))), inner);
    let moduleDots = Math.floor(target / (modules + 2 * QUIET_MODULES));
    if (moduleDots < 2 || (moduleDots * 25.4) / media.dpi < 0.3) {
      warn({
        code: 'qr_too_small',
        field: 'qr',
        words: 'The QR code is too small for phone cameras on this paper; door scanners may not read it.',
      });
      moduleDots = Math.max(2, moduleDots);
    }
    const size = (modules + 2 * QUIET_MODULES) * moduleDots;
    // Fields beside the QR code, in the space it leaves; with none to show, the code is centred.
    const sideValues = b.align === 'center' ? [] : fieldsText(b.side);
    const align = sideValues.length > 0 ? b.align : 'center';
    const x = align === 'start' ? left : align === 'end' ? left + inner - size : left + Math.floor((inner - size) / 2);
    const sideBox = { x: align === 'end' ? left : x + size + mm(2), width: inner - size - mm(2) };
    const side =
      sideValues.length > 0 && sideBox.width > mm(12)
        ? sideValues.map((v) =>
            fitted('fields', 'fields beside the QR code', v, {
              max: capped(b.sideSizeMm),
              min: Math.min(capped(b.sideSizeMm), mm(2.5)),
              maxLines: 2,
              bold: true,
              align: 'start',
              box: sideBox,
            }),
          )
        : [];
    if (side.length > 0) checkGlyphs('fields', sideValues.join(' '));
    return {
      height: size,
      place: (y) => {
        const out: LaidBlock[] = [
          {
            kind: 'qr',
            y,
            height: size,
            x,
            data: content.qrCode!,
            ecLevel: b.ecLevel,
            modules,
            moduleDots,
            quietModules: QUIET_MODULES,
            size,
          },
        ];
        let sy = y + QUIET_MODULES * moduleDots;
        const lines: LaidLine[] = [];
        for (const s of side) {
          if (sy + s.height > y + size) break;
          lines.push(...s.place(sy));
          sy += s.height + mm(1);
        }
        if (lines.length > 0) out.push({ kind: 'text', y: lines[0]!.y, height: sy - lines[0]!.y, lines, band: false });
        return out;
      },
    };
  }

  function sessionsPiece(b: Extract<TemplateBlock, { type: 'sessions' }>, room: number): Piece | null {
    const now = Date.parse(content.now);
    const ahead = content.sessions.filter((s) => !(Date.parse(s.endsAt) <= now));
    if (ahead.length === 0) return null;
    const byStart = (a: { startsAt: string }, c: { startsAt: string }) =>
      Date.parse(a.startsAt) - Date.parse(c.startsAt);
    const own = ahead.filter((s) => s.role).sort(byStart);
    const seats = ahead.filter((s) => !s.role).sort(byStart);
    const ordered = [...own, ...seats];
    const size = capped(b.sizeMm);
    const lh = tm.lineHeight(size);
    const heading = b.heading ? 1 : 0;
    const budget = Math.floor((room - mm(1)) / lh) - heading;
    // Each session is one line; their own talks may take two (the role and time push the title along).
    const entries = ordered.slice(0, b.max).map((s) => {
      const role = s.role === 'speaker' ? 'Speaking' : s.role === 'moderator' ? 'Moderating' : '';
      const text = `${role ? `${role} · ` : ''}${sessionTime(s.startsAt, content.conference.timezone)} ${normalizeText(s.title)}`;
      const font = { size, bold: !!s.role, lang: langOf(s.title) };
      const lines = s.role
        ? fitText(text, {
            sizes: [size],
            maxLines: 2,
            maxWidth: inner,
            width: (t) => tm.width(t, font),
            lang: font.lang,
          }).lines
        : [ellipsize(text, (t) => tm.width(t, font) <= inner)];
      return { lines, font };
    });
    const shown: typeof entries = [];
    let used = 0;
    for (const [i, e] of entries.entries()) {
      // Keep a line for "+N more" unless this is the last session.
      const reserve = i < ordered.length - 1 ? 1 : 0;
      if (used + e.lines.length + reserve > budget) break;
      shown.push(e);
      used += e.lines.length;
    }
    // "+3 more" alone says nothing: no room for a single session leaves the block out (after shrinking, see below).
    if (shown.length === 0) {
      sessionsSqueezed = true;
      return null;
    }
    const box = { x: left, width: inner };
    const more = ordered.length - shown.length;
    const n = heading + used + (more > 0 ? 1 : 0);
    return {
      height: n * lh + mm(1),
      place: (y) => {
        const lines: LaidLine[] = [];
        let yy = y;
        if (heading) {
          lines.push(lineOf('heading', b.heading, { size, bold: true, lang: 'und' }, yy, b.align, box));
          yy += lh;
        }
        for (const e of shown) {
          for (const t of e.lines) {
            lines.push(lineOf('session', t, e.font, yy, b.align, box));
            yy += lh;
          }
        }
        if (more > 0) lines.push(lineOf('more', `+${more} more`, { size, bold: false, lang: 'und' }, yy, b.align, box));
        return [{ kind: 'text', y, height: n * lh, lines, band: false }];
      },
    };
  }

  let overflow = false;
  let sessionsSqueezed = false;
  const panelLength =
    template.foldOver && media.heightDots !== null
      ? Math.floor(media.heightDots / 2)
      : (media.heightDots ?? mm(template.lengthMm));

  const layPanel = (blocks: TemplateBlock[], back: boolean): { blocks: LaidBlock[]; height: number } => {
    const built = blocks.map((b) => ({ b, p: build(b, back) }));
    const fixed = built.reduce((n, { p }) => n + (p && typeof p === 'object' ? p.height : 0), 0);
    let room = panelLength - 2 * margin - fixed;
    const sessionsAt = built.findIndex(({ p }) => p === 'sessions');
    if (sessionsAt >= 0) {
      const b = built[sessionsAt]!.b as Extract<TemplateBlock, { type: 'sessions' }>;
      const p = sessionsPiece(b, room);
      built[sessionsAt]!.p = p;
      room -= p?.height ?? 0;
    }
    if (room < 0 || sessionsSqueezed) overflow = true;
    if (room < 0 && shrink <= SHRINK_STEPS[SHRINK_STEPS.length - 1]!) {
      warn({
        code: 'badge_too_long',
        field: back ? 'back' : 'front',
        words:
          media.heightDots === null
            ? `The badge needs ${Math.ceil((-room * 25.4) / media.dpi)} mm more than the template's length, so it comes out longer.`
            : 'The badge does not fit the label; the bottom is cut off.',
      });
    }
    const fills = built.filter(({ p }) => p === 'fill').length;
    const spare = Math.max(0, room);
    const out: LaidBlock[] = [];
    let y = margin;
    let given = 0;
    built.forEach(({ p }, i) => {
      if (p === 'fill') {
        const share = Math.floor(spare / fills) + (given === fills - 1 ? spare % fills : 0);
        given++;
        out.push({ kind: 'space', y, height: share });
        y += share;
      } else if (p && typeof p === 'object') {
        out.push(...p.place(y));
        y += p.height;
      }
      // With no fill block, the spare length goes after the sessions (so the QR code sits at the bottom).
      if (fills === 0 && i === sessionsAt && spare > 0) {
        out.push({ kind: 'space', y, height: spare });
        y += spare;
      }
    });
    const height = media.heightDots !== null ? panelLength : Math.max(panelLength, y + margin);
    return { blocks: out, height };
  };

  const front = layPanel(template.blocks, false);
  const panels: Panel[] = [{ y: 0, height: front.height, rotated: false, blocks: front.blocks }];
  if (template.foldOver) {
    const backBlocks = template.blocks.filter(
      (b) => b.type === 'text' || b.type === 'name' || b.type === 'company' || (b.type === 'space' && b.fill),
    );
    const back = layPanel(backBlocks, true);
    panels.push({ y: front.height, height: back.height, rotated: true, blocks: back.blocks });
  }
  const height = panels.reduce((n, p) => n + p.height, 0);
  return { layout: { templateId: template.id, media, width: W, height, panels, warnings }, overflow };
}

/** The badge's words, line by line, as a person (or a test decoding the print) reads them: front panel first. */
export function layoutText(layout: BadgeLayout): string[] {
  return layout.panels.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'text' ? b.lines.map((l) => l.text) : [])));
}

/** Every laid line with its panel (for outputs that print line by line). */
export function layoutLines(layout: BadgeLayout): LaidLine[] {
  return layout.panels.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'text' ? b.lines : [])));
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The conference's days as UTC midnights of its calendar dates (at most 31). */
export function conferenceDays(startsOn: string, endsOn: string): Date[] {
  const a = Date.parse(`${startsOn}T00:00:00Z`);
  const b = Date.parse(`${endsOn}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return [];
  const n = Math.min(31, Math.round((b - a) / 86_400_000) + 1);
  return Array.from({ length: n }, (_, i) => new Date(a + i * 86_400_000));
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 14:00" in the conference's time zone. */
export function sessionTime(iso: string, timezone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  try {
    let f = formats.get(timezone);
    // Building a DateTimeFormat costs more than a whole badge layout: one per time zone.
    if (!f)
      formats.set(
        timezone,
        (f = new Intl.DateTimeFormat('en-GB', {
          timeZone: timezone,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        })),
      );
    const parts = f.formatToParts(d);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('weekday')} ${get('hour')}:${get('minute')}`;
  } catch {
    const wd = WEEKDAYS[d.getUTCDay()]!;
    return `${wd[0]}${wd.slice(1).toLowerCase()} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  }
}
