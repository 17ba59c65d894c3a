/**
 * ESC/POS rendering of a badge layout, with node-thermal-printer as the encoder only (no interface: Lanyard owns
 * the transport). What the library gets wrong is handled here:
 * - it folds text at a fixed character count whatever the size: lines arrive already wrapped (breakLine NONE);
 * - `setTextSize(h, w)` puts its first argument in the width nibble: one helper says which is which;
 * - it picks code pages on its own: codepages.ts selects the page for each run first;
 * - `printQR` stores `str.length` as the byte count: the native QR is used for ASCII payloads only, and raster is the
 *   default (verifiable, works on clone printers without `GS ( k`);
 * - tall images garble on some printers: rasters go out in strips.
 */
import { BreakLine, PrinterTypes, ThermalPrinter, type CharacterSet } from 'node-thermal-printer';
import type { Bitmap } from '../../core/badge/bitmap-font';
import { createBitmap, fillRect } from '../../core/badge/bitmap-font';
import { type BadgeLayout, colsAt } from '../../core/badge/layout';
import type { QrMode } from '../../core/badge/printer';
import { bitmapToPng } from './bitmap-png';
import { segmentText, type CodePage } from './codepages';
import { qrBitmap } from './qr';

export interface EscPosOptions {
  qr: QrMode;
  logo?: (asset: string) => Bitmap | null;
  /** Rows per raster strip (GS v 0). */
  stripRows?: number;
}

export interface Rendered {
  bytes: Buffer;
  /** Characters no code page could print (replaced by plain letters or "?"). */
  replaced: number;
}

// Tall rasters garble on some clone printers; a QR (about 200 rows) still goes in one piece.
const STRIP_ROWS = 256;
/** ESC @ (initHardware at run time, missing from the library's type definitions). */
const ESC_INIT = Buffer.from([0x1b, 0x40]);

/** A fresh encoder: Epson command set, no interface, no folding, width in characters at scale 1. */
export function newEncoder(cols: number): ThermalPrinter {
  return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: cols, breakLine: BreakLine.NONE });
}

/** Text scale: `GS ! n` with n = (width-1) << 4 | (height-1); the library's first parameter is the width nibble. */
export function setScale(p: ThermalPrinter, width: number, height: number): void {
  p.setTextSize(width - 1, height - 1);
}

/** Prints one line of text, selecting the code page of each run before the encoder sees it. */
export function printLine(p: ThermalPrinter, line: string, state: { page: CodePage | null }): number {
  const { runs, replaced } = segmentText(line, state.page);
  for (const run of runs) {
    if (run.page && run.page !== state.page) {
      p.setCharacterSet(run.page.name as CharacterSet);
      state.page = run.page;
    }
    p.print(run.text);
  }
  p.newLine();
  return replaced;
}

/**
 * GS v 0 for one strip, byte for byte what node-thermal-printer's printImageBuffer emits for the same picture
 * (m = 48, width in bytes, height in rows; escpos.test.ts checks they are identical). Lanyard builds it directly
 * from the 1-bit bitmap: the library's path (PNG encode, PNG decode, one object per pixel) costs most of a badge's
 * render time.
 */
export function rasterStrip(bmp: Bitmap, y0: number, rows: number): Buffer {
  const wBytes = Math.ceil(bmp.width / 8);
  const h = Math.max(0, Math.min(rows, bmp.height - y0));
  const out = Buffer.alloc(8 + wBytes * h);
  out.set([0x1d, 0x76, 0x30, 48, wBytes & 0xff, (wBytes >> 8) & 0xff, h & 0xff, (h >> 8) & 0xff]);
  for (let y = 0; y < h; y++) {
    const row = (y0 + y) * bmp.width;
    for (let x = 0; x < bmp.width; x++) if (bmp.data[row + x]) out[8 + y * wBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** Sends a bitmap as GS v 0 raster strips; `viaLibrary` goes through node-thermal-printer's own image path. */
export async function printBitmap(p: ThermalPrinter, bmp: Bitmap, stripRows = STRIP_ROWS, viaLibrary = false): Promise<void> {
  let src = bmp;
  if (bmp.width % 8 !== 0) {
    src = createBitmap(Math.ceil(bmp.width / 8) * 8, bmp.height);
    for (let y = 0; y < bmp.height; y++) src.data.set(bmp.data.subarray(y * bmp.width, (y + 1) * bmp.width), y * src.width);
  }
  for (let y = 0; y < src.height; y += stripRows) {
    if (viaLibrary) await p.printImageBuffer(bitmapToPng(src, y, stripRows));
    else p.add(rasterStrip(src, y, stripRows));
  }
}

export async function renderEscPos(layout: BadgeLayout, opts: EscPosOptions): Promise<Rendered> {
  const media = layout.media;
  const p = newEncoder(colsAt(media, 1));
  const state: { page: CodePage | null } = { page: null };
  let replaced = 0;
  // ESC @ first: a known state whatever the previous job left behind. It resets the code table, so pages follow it.
  p.add(ESC_INIT);
  p.setTypeFontA();
  for (const b of layout.blocks) {
    switch (b.kind) {
      case 'text': {
        align(p, b.align);
        p.bold(b.bold);
        if (b.invert) p.invert(true);
        setScale(p, b.scale, b.scale);
        for (const line of b.lines) replaced += printLine(p, line, state);
        setScale(p, 1, 1);
        if (b.invert) p.invert(false);
        p.bold(false);
        break;
      }
      case 'qr': {
        align(p, b.align);
        if (opts.qr === 'native' && /^[\x20-\x7e]*$/.test(b.data)) {
          p.printQR(b.data, { model: 2, cellSize: Math.min(8, Math.max(1, b.moduleDots)), correction: b.ecLevel });
          p.newLine();
        } else {
          await printBitmap(p, qrBitmap(b.data, b.ecLevel, b.moduleDots, b.quietModules, 8), opts.stripRows);
        }
        break;
      }
      case 'logo': {
        const bmp = opts.logo?.(b.asset);
        if (!bmp) break;
        align(p, b.align);
        await printBitmap(p, bmp, opts.stripRows);
        break;
      }
      case 'rule': {
        p.alignLeft();
        const bar = createBitmap(media.widthDots, b.thickness);
        fillRect(bar, 0, 0, media.widthDots, b.thickness);
        feedDots(p, Math.floor((b.height - b.thickness) / 2));
        await printBitmap(p, bar, opts.stripRows);
        feedDots(p, Math.ceil((b.height - b.thickness) / 2));
        break;
      }
      case 'space':
        feedDots(p, b.height);
        break;
    }
  }
  p.alignLeft();
  p.cut();
  return { bytes: p.getBuffer(), replaced };
}

function align(p: ThermalPrinter, a: 'left' | 'center'): void {
  if (a === 'center') p.alignCenter();
  else p.alignLeft();
}

/** ESC J n: feed n dots (in steps of at most 255). */
export function feedDots(p: ThermalPrinter, dots: number): void {
  for (let left = Math.round(dots); left > 0; left -= 255) p.add(Buffer.from([0x1b, 0x4a, Math.min(255, left)]));
}

/** A page to check a printer: sizes, code pages, a raster and a QR, then a cut. */
export async function renderTestPage(media: BadgeLayout['media'], label: string, at: string): Promise<Buffer> {
  const p = newEncoder(colsAt(media, 1));
  const state: { page: CodePage | null } = { page: null };
  p.add(ESC_INIT);
  p.alignCenter();
  setScale(p, 2, 2);
  printLine(p, 'LANYARD TEST PAGE', state);
  setScale(p, 1, 1);
  printLine(p, label, state);
  printLine(p, at, state);
  printLine(p, `${media.id}: ${media.widthDots} dots, ${colsAt(media, 1)} columns`, state);
  p.alignLeft();
  printLine(p, 'Zoë Łukasz · José Ñúñez · Søren Ødegård', state);
  printLine(p, '0123456789'.repeat(Math.ceil(colsAt(media, 1) / 10)).slice(0, colsAt(media, 1)), state);
  p.alignCenter();
  await printBitmap(p, qrBitmap(`LANYARD-TEST ${at}`, 'M', 4, 4, 8));
  p.alignLeft();
  p.cut();
  return p.getBuffer();
}
