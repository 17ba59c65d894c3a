/**
 * The badge layout model: a template applied to one registrant on one kind of stock. Pure: the two things that need
 * a library or a file (how many modules a QR code has, how big a logo is) are measured by functions passed in.
 * Every renderer (ESC/POS, ZPL, PNG preview) draws this same model; text is already wrapped and fitted here.
 */
import { cellLength, fitText, normalizeText } from './fit';
import type { Media } from './printer';
import type { BadgeTemplate } from './template';

export interface BadgeContent {
  conferenceName: string;
  /** IANA time zone for session times; falls back to UTC when unknown. */
  timezone: string;
  firstName: string;
  lastName: string;
  company: string;
  ticketTypeName: string;
  sessions: { title: string; startsAt: string }[];
  /** The signed QR payload; null leaves the QR block out (e.g. a text-only proof). */
  qrCode: string | null;
}

export interface LayoutMeasure {
  /** Modules per side of the QR symbol for this data (without the quiet zone). */
  qrModules(data: string, ecLevel: 'L' | 'M' | 'Q' | 'H'): number;
  /** Pixel size of a logo asset, or null when it is missing. */
  logoSize(asset: string): { width: number; height: number } | null;
}

export type Align = 'left' | 'center';
export type TextRole = 'name' | 'company' | 'ticketType' | 'conference' | 'text' | 'heading' | 'sessions';

export type LaidBlock =
  | { kind: 'text'; role: TextRole; lines: string[]; scale: number; align: Align; bold: boolean; invert: boolean; y: number; lineHeight: number; height: number }
  | { kind: 'qr'; data: string; ecLevel: 'L' | 'M' | 'Q' | 'H'; modules: number; moduleDots: number; quietModules: number; size: number; align: Align; y: number; height: number }
  | { kind: 'logo'; asset: string; width: number; height: number; align: Align; y: number }
  | { kind: 'rule'; y: number; height: number; thickness: number }
  | { kind: 'space'; y: number; height: number };

export interface BadgeLayout {
  templateId: string;
  media: Media;
  width: number;
  /** Total height of the content in dots. */
  height: number;
  blocks: LaidBlock[];
  /** What did not fit or was left out, in words (shown in the preview). */
  warnings: string[];
}

export const QUIET_MODULES = 4;

export const lineHeightAt = (media: Media, scale: number): number => media.cellHeight * scale + media.lineGap;
export const colsAt = (media: Media, scale: number): number => Math.floor(media.widthDots / (media.cellWidth * scale));

/** x of a line of `cells` characters at `scale`. */
export function lineX(media: Media, align: Align, cells: number, scale: number): number {
  if (align === 'left') return 0;
  return Math.max(0, Math.floor((media.widthDots - cells * media.cellWidth * scale) / 2));
}

export function layoutBadge(content: BadgeContent, template: BadgeTemplate, media: Media, measure: LayoutMeasure): BadgeLayout {
  const blocks: LaidBlock[] = [];
  const warnings: string[] = [];
  let y = 0;
  const maxScale = media.maxScale;
  const scaleOf = (s: number) => Math.min(s, maxScale);

  const pushText = (role: TextRole, lines: string[], scale: number, align: Align, bold: boolean, invert = false) => {
    if (lines.length === 0) return;
    const lineHeight = lineHeightAt(media, scale);
    const height = lineHeight * lines.length;
    blocks.push({ kind: 'text', role, lines, scale, align, bold, invert, y, lineHeight, height });
    y += height;
  };
  const fitted = (role: TextRole, text: string, scales: number[], maxLines: number, align: Align, bold: boolean, invert = false) => {
    const f = fitText(text, { scales: scales.map(scaleOf), maxLines, colsAt: (s) => colsAt(media, s) });
    const what = role === 'ticketType' ? 'ticket type' : role;
    if (f.truncated && f.lines[f.lines.length - 1]?.endsWith('...')) warnings.push(`The ${what} did not fit and was shortened.`);
    else if (f.truncated) warnings.push(`The ${what} has a word longer than a line; it was split at the line end.`);
    pushText(role, f.lines, f.scale, align, bold, invert);
  };

  for (const b of template.blocks) {
    switch (b.type) {
      case 'name': {
        const name = normalizeText(`${content.firstName} ${content.lastName}`);
        fitted('name', name, b.scales, b.maxLines, b.align, b.bold);
        break;
      }
      case 'company':
        fitted('company', content.company, b.scales, b.maxLines, b.align, b.bold);
        break;
      case 'ticketType':
        fitted('ticketType', content.ticketTypeName, [b.scale, 1], 1, b.align, b.bold, b.invert);
        break;
      case 'conference':
        fitted('conference', content.conferenceName, [b.scale, 1], 1, b.align, b.bold);
        break;
      case 'text':
        fitted('text', b.text, [b.scale, 1], 1, b.align, b.bold, b.invert);
        break;
      case 'sessions': {
        if (content.sessions.length === 0) break;
        const cols = colsAt(media, 1);
        const sorted = [...content.sessions].sort((a, b2) => a.startsAt.localeCompare(b2.startsAt));
        const shown = sorted.length > b.max ? sorted.slice(0, b.max - 1) : sorted;
        const lines = shown.map((s) => fitText(`${sessionTime(s.startsAt, content.timezone)} ${s.title}`, { scales: [1], maxLines: 1, colsAt: () => cols }).lines[0] ?? '');
        if (shown.length < sorted.length) lines.push(`+${sorted.length - shown.length} more`);
        if (b.heading) fitted('heading', b.heading, [1], 1, b.align, true);
        pushText('sessions', lines, 1, b.align, false);
        break;
      }
      case 'qr': {
        if (content.qrCode === null) break;
        const modules = measure.qrModules(content.qrCode, b.ecLevel);
        let moduleDots = Math.max(2, Math.round((b.moduleDots * media.dpi) / 203));
        while (moduleDots > 2 && (modules + 2 * QUIET_MODULES) * moduleDots > media.widthDots) moduleDots--;
        const size = (modules + 2 * QUIET_MODULES) * moduleDots;
        if (size > media.widthDots) warnings.push('The QR code is wider than the paper.');
        blocks.push({ kind: 'qr', data: content.qrCode, ecLevel: b.ecLevel, modules, moduleDots, quietModules: QUIET_MODULES, size, align: b.align, y, height: size });
        y += size;
        break;
      }
      case 'logo': {
        const size = measure.logoSize(b.asset);
        if (!size) {
          warnings.push(`The logo ${b.asset} is missing and was left out.`);
          break;
        }
        if (size.width > media.widthDots) {
          warnings.push(`The logo ${b.asset} is wider than the paper and was left out.`);
          break;
        }
        blocks.push({ kind: 'logo', asset: b.asset, width: size.width, height: size.height, align: b.align, y });
        y += size.height;
        break;
      }
      case 'rule': {
        const height = lineHeightAt(media, 1);
        blocks.push({ kind: 'rule', y, height, thickness: Math.max(2, Math.round(media.dpi / 100)) });
        y += height;
        break;
      }
      case 'space': {
        const height = Math.round(lineHeightAt(media, 1) * b.lines);
        blocks.push({ kind: 'space', y, height });
        y += height;
        break;
      }
    }
  }
  if (media.heightDots !== null && y > media.heightDots) warnings.push('The badge is longer than the label; the bottom is cut off.');
  return { templateId: template.id, media, width: media.widthDots, height: y, blocks, warnings };
}

/** The badge's words, line by line, as a person (or a test decoding the print) reads them. */
export function layoutText(layout: BadgeLayout): string[] {
  return layout.blocks.flatMap((b) => (b.kind === 'text' ? b.lines : []));
}

export const textWidthDots = (media: Media, line: string, scale: number): number => cellLength(line) * media.cellWidth * scale;

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Tue 14:00" in the conference's time zone. */
export function sessionTime(iso: string, timezone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  try {
    let f = formats.get(timezone);
    // Building a DateTimeFormat costs more than a whole badge layout: one per time zone.
    if (!f) formats.set(timezone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
    const parts = f.formatToParts(d);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('weekday')} ${get('hour')}:${get('minute')}`;
  } catch {
    return `${weekdays[d.getUTCDay()]} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  }
}
