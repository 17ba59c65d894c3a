/**
 * Text mode, for printers that need it (`mode=text` in the printer URI): the same layout, with text in the
 * printer's own font. The layout is fitted with `printerFontMeasure`, which knows the font's fixed cells and its
 * whole-number scales, and reports as missing every character no code page holds (Arabic, CJK, emoji, ...: those
 * need raster mode, the default). QR codes and logos still go as rasters (or the native QR command, `qr=native`).
 */
import type { ThermalPrinter } from 'node-thermal-printer';
import type { Bitmap } from '../../core/badge/bitmap';
import { createBitmap, fillRect } from '../../core/badge/bitmap';
import type { BadgeLayout, LaidBlock, LaidLine, MissingGlyphs, Panel, TextMeasure } from '../../core/badge/layout';
import type { Media, QrMode } from '../../core/badge/printer';
import { scriptOf, splitGraphemes } from '../../core/badge/scripts';
import { codePages, pageHas, type CodePage } from './codepages';
import {
  ESC_INIT,
  FEED_AND_CUT,
  colsOf,
  feedDots,
  newEncoder,
  printBitmap,
  printLine,
  printText,
  setScale,
} from './escpos';
import type { BadgeImages } from './images';
import { qrBitmap } from './qr';
import { graphicField, zplField } from './zpl';

/** Whole-number scales of the printer's font cell; a grapheme is one cell. */
export function printerFontMeasure(media: Media): TextMeasure {
  const scaleOf = (size: number) => Math.max(1, Math.min(media.maxScale, Math.round(size / media.cellHeight)));
  return {
    width: (text, font) => splitGraphemes(text).length * media.cellWidth * scaleOf(font.size),
    sizes(max, min) {
      const out: number[] = [];
      for (let s = media.maxScale; s >= 1; s--)
        if (
          s * media.cellHeight <= max + media.cellHeight / 2 &&
          s * media.cellHeight >= Math.min(min, media.cellHeight) - media.cellHeight / 2
        )
          out.push(s * media.cellHeight);
      return out.length > 0 ? out : [media.cellHeight];
    },
    lineHeight: (size) => scaleOf(size) * (media.cellHeight + media.lineGap),
    ascent: (size) => scaleOf(size) * media.cellHeight,
    missing: (text) => missingInCodePages(text),
  };
}

/** Characters no code page Lanyard uses holds (ASCII always prints). */
function missingInCodePages(text: string): MissingGlyphs[] {
  const byScript = new Map<string, string>();
  for (const ch of new Set(text.normalize('NFC'))) {
    if (ch <= '\u007e' || /\s/.test(ch) || codePages.some((p) => pageHas(p, ch))) continue;
    const script = scriptOf(ch);
    byScript.set(script, (byScript.get(script) ?? '') + ch);
  }
  return [...byScript].map(([script, chars]) => ({ script, fontPack: 'raster', chars }));
}

export interface TextModeOptions {
  qr: QrMode;
  images: BadgeImages;
}

const UPSIDE_DOWN = (on: boolean) => Buffer.from([0x1b, 0x7b, on ? 1 : 0]);

/**
 * ESC/POS in the printer's font: blocks in order, fed to their place (ESC J), each line at its scale and alignment.
 * The back of a fold-over badge prints in upside-down mode (ESC {) with its lines in reverse order. The job is fed
 * to the template's length and cut.
 */
export async function escposText(layout: BadgeLayout, opts: TextModeOptions): Promise<Buffer> {
  const media = layout.media;
  const p = newEncoder(colsOf(media));
  const state: { page: CodePage | null } = { page: null };
  p.add(ESC_INIT);
  p.setTypeFontA();
  let y = 0;
  for (const panel of layout.panels) {
    if (panel.rotated) p.add(UPSIDE_DOWN(true));
    const blocks = [...panel.blocks].sort((a, b) => a.y - b.y);
    for (const b of panel.rotated ? blocks.reverse() : blocks) {
      const at = panel.y + (panel.rotated ? panel.height - (b.y + b.height) : b.y);
      if (at > y) {
        feedDots(p, at - y);
        y = at;
      }
      y += await escposBlock(p, b, panel, media, state, opts);
    }
    if (panel.rotated) p.add(UPSIDE_DOWN(false));
  }
  if (layout.height > y) feedDots(p, layout.height - y);
  p.alignLeft();
  p.add(FEED_AND_CUT);
  return p.getBuffer();
}

function align(p: ThermalPrinter, a: 'left' | 'center' | 'right'): void {
  if (a === 'center') p.alignCenter();
  else if (a === 'right') p.alignRight();
  else p.alignLeft();
}

const alignOfBox = (x: number, width: number, media: Media): 'left' | 'center' | 'right' => {
  const slack = media.widthDots - width;
  if (Math.abs(x - slack / 2) <= 8) return 'center';
  return x > slack / 2 ? 'right' : 'left';
};

/** Prints one block; returns the dots it advanced. */
async function escposBlock(
  p: ThermalPrinter,
  b: LaidBlock,
  panel: Panel,
  media: Media,
  state: { page: CodePage | null },
  opts: TextModeOptions,
): Promise<number> {
  switch (b.kind) {
    case 'text': {
      // Lines that share a row (a ticket's days) print as one line: the printer's font cannot place them side by side.
      const rows = new Map<number, LaidLine[]>();
      for (const l of b.lines) rows.set(l.y, [...(rows.get(l.y) ?? []), l]);
      const ordered = [...rows.values()];
      let advanced = 0;
      for (const row of panel.rotated ? ordered.reverse() : ordered) {
        const first = row[0]!;
        const scale = Math.max(1, Math.min(media.maxScale, Math.round(first.font.size / media.cellHeight)));
        align(p, row.length > 1 ? 'center' : first.align);
        p.bold(first.font.bold);
        setScale(p, scale, scale);
        for (const [i, l] of row.entries()) {
          if (l.invert) p.invert(true);
          // A day the ticket is not valid on: dashes where its name would be (no strike-through in a printer font).
          const text = l.strike ? '-'.repeat(splitGraphemes(l.text).length) : l.text;
          if (i > 0) p.print(' ');
          if (i === row.length - 1) printLine(p, text, state);
          else printText(p, text, state);
          if (l.invert) p.invert(false);
        }
        setScale(p, 1, 1);
        p.bold(false);
        advanced += scale * (media.cellHeight + media.lineGap);
      }
      return advanced;
    }
    case 'qr': {
      align(p, alignOfBox(b.x, b.size, media));
      if (opts.qr === 'native' && /^[\x20-\x7e]*$/.test(b.data)) {
        p.printQR(b.data, { model: 2, cellSize: Math.min(8, Math.max(1, b.moduleDots)), correction: b.ecLevel });
        p.newLine();
      } else await printBitmap(p, qrBitmap(b.data, b.ecLevel, b.moduleDots, b.quietModules, 8));
      return b.size;
    }
    case 'image': {
      const bmp = opts.images.bitmap(b.ref, b.width, b.height);
      if (!bmp) return 0;
      align(p, alignOfBox(b.x, b.width, media));
      await printBitmap(p, panel.rotated ? turned(bmp) : bmp);
      return b.height;
    }
    case 'rule': {
      p.alignLeft();
      const bar = createBitmap(media.widthDots, b.thickness);
      fillRect(bar, 0, 0, media.widthDots, b.thickness);
      await printBitmap(p, bar);
      return b.thickness;
    }
    case 'space':
      return 0;
  }
}

function turned(bmp: Bitmap): Bitmap {
  const out = createBitmap(bmp.width, bmp.height);
  const n = bmp.data.length;
  for (let i = 0; i < n; i++) out.data[i] = bmp.data[n - 1 - i]!;
  return out;
}

/**
 * ZPL in the printer's font 0 (UTF-8 with ^CI28): one ^FO field per laid line, at its place; inverted lines on a
 * ^GB box with ^FR; the back of a fold-over badge in orientation I (180°); the QR code as ^BQ; logos as ^GF.
 */
export function zplText(layout: BadgeLayout, opts: { images: BadgeImages }): string {
  const m = layout.media;
  const out: string[] = ['^XA', '^CI28', `^PW${m.widthDots}`, `^LL${m.heightDots ?? layout.height}`, '^LH0,0'];
  for (const panel of layout.panels) {
    // Panel coordinates to label coordinates (a turned panel runs from its far corner).
    const at = (x: number, y: number, w: number, h: number) =>
      panel.rotated ? { x: m.widthDots - x - w, y: panel.y + panel.height - y - h } : { x, y: panel.y + y };
    const orient = panel.rotated ? 'I' : 'N';
    for (const b of panel.blocks) {
      switch (b.kind) {
        case 'text': {
          if (b.band) {
            const o = at(0, b.y, m.widthDots, b.height);
            out.push(`^FO${o.x},${o.y}^GB${m.widthDots},${b.height},${b.height}^FS`);
          }
          for (const l of b.lines) {
            const h = Math.max(10, Math.round(l.font.size));
            if (l.invert && l.cell) {
              const o = at(l.cell.x, l.y, l.cell.width, l.height);
              out.push(`^FO${o.x},${o.y}^GB${l.cell.width},${l.height},${l.height}^FS`);
            }
            const o = at(l.x, l.y, l.width, l.height);
            const text = l.strike ? '-'.repeat(splitGraphemes(l.text).length) : l.text;
            out.push(`^FO${o.x},${o.y}^A0${orient},${h},${h}${l.invert ? '^FR' : ''}^FH_^FD${zplField(text)}^FS`);
          }
          break;
        }
        case 'qr': {
          const q = b.quietModules * b.moduleDots;
          const o = at(b.x, b.y, b.size, b.size);
          // ^BQ's data is "<ec>A,<data>": error correction, automatic input mode. Badge codes are printable ASCII.
          out.push(`^FO${o.x + q},${o.y + q}^BQN,2,${Math.min(10, b.moduleDots)}^FD${b.ecLevel}A,${b.data}^FS`);
          break;
        }
        case 'image': {
          const bmp = opts.images.bitmap(b.ref, b.width, b.height);
          if (!bmp) break;
          const o = at(b.x, b.y, b.width, b.height);
          out.push(`^FO${o.x},${o.y}${graphicField(panel.rotated ? turned(bmp) : bmp)}^FS`);
          break;
        }
        case 'rule': {
          const o = at(0, b.y, m.widthDots, b.thickness);
          out.push(`^FO${o.x},${o.y}^GB${m.widthDots},${b.thickness},${b.thickness}^FS`);
          break;
        }
        case 'space':
          break;
      }
    }
  }
  out.push('^PQ1', '^XZ');
  return out.join('\n') + '\n';
}
