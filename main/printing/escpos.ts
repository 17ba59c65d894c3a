/**
 * ESC/POS: a badge goes out as one raster (the default, `escposRaster`), or in the printer's own font (text mode,
 * text-mode.ts) with node-thermal-printer as the encoder only (no interface: Lanyard owns the transport). What the
 * library gets wrong is handled here:
 * - it folds text at a fixed character count whatever the size: lines arrive already wrapped (breakLine NONE);
 * - `setTextSize(h, w)` puts its first argument in the width nibble: one helper says which is which;
 * - it picks code pages on its own: codepages.ts selects the page for each run first;
 * - `printQR` stores `str.length` as the byte count: the native QR is used for ASCII payloads only, and raster is the
 *   default (verifiable, works on clone printers without `GS ( k`);
 * - tall images garble on some printers: rasters go out in strips;
 * - its cut() cuts where the paper stands, leaving the last ~15 mm of a badge on the next one: FEED_AND_CUT.
 */
import { BreakLine, PrinterTypes, ThermalPrinter, type CharacterSet } from 'node-thermal-printer';
import { createBitmap, type Bitmap } from '../../core/badge/bitmap';
import type { Media } from '../../core/badge/printer';
import { bitmapToPng } from './bitmap-png';
import { segmentText, type CodePage } from './codepages';
import { qrBitmap } from './qr';

// Tall rasters garble on some clone printers; a QR (about 200 rows) still goes in one piece.
const STRIP_ROWS = 256;
/** ESC @ (initHardware at run time, missing from the library's type definitions). */
export const ESC_INIT = Buffer.from([0x1b, 0x40]);

/** A fresh encoder: Epson command set, no interface, no folding, width in characters at scale 1. */
export function newEncoder(cols: number): ThermalPrinter {
  return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: cols, breakLine: BreakLine.NONE });
}

/** Text scale: `GS ! n` with n = (width-1) << 4 | (height-1); the library's first parameter is the width nibble. */
export function setScale(p: ThermalPrinter, width: number, height: number): void {
  p.setTextSize(width - 1, height - 1);
}

/** Prints text without ending the line, selecting the code page of each run before the encoder sees it. */
export function printText(p: ThermalPrinter, text: string, state: { page: CodePage | null }): number {
  const { runs, replaced } = segmentText(text, state.page);
  for (const run of runs) {
    if (run.page && run.page !== state.page) {
      p.setCharacterSet(run.page.name as CharacterSet);
      state.page = run.page;
    }
    p.print(run.text);
  }
  return replaced;
}

/** Prints one line of text (code pages chosen by Lanyard). */
export function printLine(p: ThermalPrinter, line: string, state: { page: CodePage | null }): number {
  const replaced = printText(p, line, state);
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
  const d = bmp.data;
  const whole = bmp.width >> 3;
  for (let y = 0; y < h; y++) {
    let i = (y0 + y) * bmp.width;
    let o = 8 + y * wBytes;
    // Eight dots to a byte, leftmost in the high bit (0 or 1 per dot in the bitmap).
    for (let b = 0; b < whole; b++, i += 8)
      out[o++] =
        (d[i]! << 7) |
        (d[i + 1]! << 6) |
        (d[i + 2]! << 5) |
        (d[i + 3]! << 4) |
        (d[i + 4]! << 3) |
        (d[i + 5]! << 2) |
        (d[i + 6]! << 1) |
        d[i + 7]!;
    for (let x = whole * 8; x < bmp.width; x++, i++) if (d[i]) out[o]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** Sends a bitmap as GS v 0 raster strips; `viaLibrary` goes through node-thermal-printer's own image path. */
export async function printBitmap(
  p: ThermalPrinter,
  bmp: Bitmap,
  stripRows = STRIP_ROWS,
  viaLibrary = false,
): Promise<void> {
  const src = padToBytes(bmp);
  for (let y = 0; y < src.height; y += stripRows) {
    if (viaLibrary) await p.printImageBuffer(bitmapToPng(src, y, stripRows, 0));
    else p.add(rasterStrip(src, y, stripRows));
  }
}

/**
 * A badge as one raster: ESC @, the picture in GS v 0 strips, then "feed to the cutter and cut" (GS V 65 0), so the
 * badge's last row clears the cutter and every badge of a template comes out the same length.
 */
export function escposRaster(bmp: Bitmap, stripRows = STRIP_ROWS): Buffer {
  const src = padToBytes(bmp);
  const parts: Buffer[] = [ESC_INIT];
  for (let y = 0; y < src.height; y += stripRows) parts.push(rasterStrip(src, y, stripRows));
  parts.push(FEED_AND_CUT);
  return Buffer.concat(parts);
}

/** GS V 65 0: feed to the cutting position, then cut (node-thermal-printer's cut() cuts where the paper stands). */
export const FEED_AND_CUT = Buffer.from([0x1d, 0x56, 0x41, 0x00]);

function padToBytes(bmp: Bitmap): Bitmap {
  if (bmp.width % 8 === 0) return bmp;
  const src = createBitmap(Math.ceil(bmp.width / 8) * 8, bmp.height);
  for (let y = 0; y < bmp.height; y++)
    src.data.set(bmp.data.subarray(y * bmp.width, (y + 1) * bmp.width), y * src.width);
  return src;
}

/** ESC J n: feed n dots (in steps of at most 255). */
export function feedDots(p: ThermalPrinter, dots: number): void {
  for (let left = Math.round(dots); left > 0; left -= 255) p.add(Buffer.from([0x1b, 0x4a, Math.min(255, left)]));
}

/** Characters per line in the printer's own font at 1×. */
export const colsOf = (media: Media): number => Math.floor(media.widthDots / media.cellWidth);

/**
 * A page to check a printer: sizes and code pages in its own font, the badge fonts as a raster (`sample`, names in
 * several scripts), a QR, then a cut.
 */
export async function renderTestPage(media: Media, label: string, at: string, sample?: Bitmap): Promise<Buffer> {
  const cols = colsOf(media);
  const p = newEncoder(cols);
  const state: { page: CodePage | null } = { page: null };
  p.add(ESC_INIT);
  p.alignCenter();
  setScale(p, 2, 2);
  printLine(p, 'LANYARD TEST PAGE', state);
  setScale(p, 1, 1);
  printLine(p, label, state);
  printLine(p, at, state);
  printLine(p, `${media.id}: ${media.widthDots} dots, ${cols} columns`, state);
  p.alignLeft();
  printLine(p, 'Zoë Łukasz · José Ñúñez · Søren Ødegård', state);
  printLine(p, '0123456789'.repeat(Math.ceil(cols / 10)).slice(0, cols), state);
  p.alignCenter();
  if (sample) await printBitmap(p, sample);
  await printBitmap(p, qrBitmap(`LANYARD-TEST ${at}`, 'M', 4, 4, 8));
  p.alignLeft();
  p.add(FEED_AND_CUT);
  return p.getBuffer();
}
