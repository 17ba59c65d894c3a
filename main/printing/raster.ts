/**
 * The one renderer: a badge layout drawn into one 1-bit raster at the printer's dots. That raster is the PNG preview
 * on screen, the ESC/POS job (GS v 0) and the ZPL job (^GF), so what staff see is what prints.
 *
 * Text, bands and rules are drawn by Skia (@napi-rs/canvas: HarfBuzz shaping, right-to-left, every script the
 * fonts have) and thresholded at 50% for a thermal head; the QR code's modules and the logos (dithered once, see
 * images.ts) are put into the raster dot for dot, so the code stays exact.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from './skia';
import { createBitmap, fillRect, type Bitmap } from '../../core/badge/bitmap';
import type { BadgeLayout, LaidBlock, LaidLine, Panel } from '../../core/badge/layout';
import type { BadgeFonts } from './fonts';
import type { BadgeImages } from './images';
import { qrBitmap } from './qr';

const canvases = new Map<string, { canvas: Canvas; ctx: SKRSContext2D }>();

/** One canvas per size, reused: creating one costs more than drawing a badge's text. */
function canvasOf(width: number, height: number): SKRSContext2D {
  const key = `${width}x${height}`;
  let c = canvases.get(key);
  if (!c) {
    if (canvases.size > 32) canvases.clear();
    const canvas = createCanvas(width, height);
    // Opaque, and read back often: Skia keeps the pixels where reading them is cheapest.
    c = { canvas, ctx: canvas.getContext('2d', { alpha: false, willReadFrequently: true }) };
    canvases.set(key, c);
  }
  return c.ctx;
}

export function drawBadge(layout: BadgeLayout, fonts: BadgeFonts, images: BadgeImages): Bitmap {
  // Width in whole bytes: ESC/POS and ZPL rasters are sent 8 dots to a byte.
  const width = Math.ceil(layout.width / 8) * 8;
  const out = createBitmap(width, layout.height);
  for (const panel of layout.panels) {
    const at = panel.y * width;
    if (panel.rotated) {
      // Turned 180°: the last dot of the panel becomes its first.
      const bmp = drawPanel(panel, createBitmap(width, panel.height), fonts, images);
      const n = bmp.data.length;
      for (let i = 0; i < n; i++) out.data[at + i] = bmp.data[n - 1 - i]!;
    } else
      drawPanel(
        panel,
        { width, height: panel.height, data: out.data.subarray(at, at + width * panel.height) },
        fonts,
        images,
      );
  }
  // Fold marks: short ticks at both edges where a fold-over badge folds.
  const tick = Math.round(layout.media.dpi / 8);
  for (const p of layout.panels.slice(1)) {
    fillRect(out, 0, p.y - 1, tick, 2);
    fillRect(out, width - tick, p.y - 1, tick, 2);
  }
  return out;
}

/** Draws a panel into `bmp` (panel-sized, white). */
function drawPanel(panel: Panel, bmp: Bitmap, fonts: BadgeFonts, images: BadgeImages): Bitmap {
  const width = bmp.width;
  const text = panel.blocks.filter((b): b is Extract<LaidBlock, { kind: 'text' }> => b.kind === 'text');
  // Bands and inverted cells go straight into the raster; glyphs are drawn by Skia, black on white, then read back
  // line by line (reading pixels back is the costly step: only where text is, never the QR code or blank space).
  for (const b of text) {
    if (b.band) fillRect(bmp, 0, b.y, width, b.height);
    for (const l of b.lines) if (l.invert && l.cell) fillRect(bmp, l.cell.x, l.y, l.cell.width, l.height);
  }
  // Black text first, then white text on bands: where a black line's accents or descenders reach into a band, the
  // band's own glyphs still end up white.
  const lines = text.flatMap((b) => b.lines.map((l) => ({ l, box: readBox(l, b, bmp) })));
  for (const pass of [false, true]) for (const { l, box } of lines) if (l.invert === pass) putInk(bmp, l, box, fonts);
  for (const b of panel.blocks) {
    if (b.kind === 'rule') fillRect(bmp, 0, b.y, width, b.thickness);
    else if (b.kind === 'qr') put(bmp, qrBitmap(b.data, b.ecLevel, b.moduleDots, b.quietModules), b.x, b.y);
    else if (b.kind === 'image') {
      const img = images.bitmap(b.ref, b.width, b.height);
      if (img) put(bmp, img, b.x, b.y);
    }
  }
  for (const b of text) for (const l of b.lines) if (l.strike) strike(bmp, l);
  return bmp;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Where a line's pixels are read back: past the line for accents, descenders and overhangs, but never outside the
 * band or cell of an inverted line (so it cannot erase its neighbours' ink).
 */
function readBox(l: LaidLine, block: { y: number; height: number }, bmp: Bitmap): Box {
  // Stacked accents rise up to ~0.3 em above the line box (Vietnamese, Yoruba capitals), Thai and Devanagari marks
  // hang ~0.2 em below it, overhangs (J, f) reach ~0.1 em sideways: every pixel read back costs.
  const em = l.font.size;
  let x0 = Math.max(0, l.x - Math.ceil(em * 0.12));
  let x1 = Math.min(bmp.width, l.x + l.width + Math.ceil(em * 0.12));
  let y0 = Math.max(0, l.y - Math.ceil(em * 0.3));
  let y1 = Math.min(bmp.height, l.y + l.height + Math.ceil(em * 0.2));
  if (l.invert) {
    const box = l.cell ?? { x: 0, width: bmp.width };
    const top = l.cell ? l.y : block.y;
    const bottom = l.cell ? l.y + l.height : block.y + block.height;
    [x0, x1, y0, y1] = [Math.max(x0, box.x), Math.min(x1, box.x + box.width), Math.max(y0, top), Math.min(y1, bottom)];
  }
  return { x0, x1: Math.max(x0, x1), y0, y1: Math.max(y0, y1) };
}

/** The line's glyphs into the raster: ink, or white on a band or an inverted cell. */
function putInk(bmp: Bitmap, l: LaidLine, r: Box, fonts: BadgeFonts): void {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  if (w <= 0 || h <= 0) return;
  const ink = lineInk(l, r, fonts);
  const d = bmp.data;
  const value = l.invert ? 0 : 1;
  for (let y = 0; y < h; y++) {
    const row = (r.y0 + y) * bmp.width + r.x0;
    for (let x = 0, i = y * w; x < w; x++, i++) if (ink[i]) d[row + x] = value;
  }
}

/**
 * A line's glyphs as dots (1 = ink) over its read box, drawn alone on a canvas the size of the box and thresholded
 * at 50%. Reading pixels back is the costly step, and Skia's cost grows with the canvas read, not with the box: a
 * small canvas per line, not the panel's. The same line (conference name, ticket, company, a session's title) is
 * on every badge of a kiosk morning, so the dots are kept for the most recent lines.
 */
function lineInk(l: LaidLine, r: Box, fonts: BadgeFonts): Uint8Array {
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  const font = fonts.css(l.font);
  const lang = l.font.lang === 'und' ? 'en' : l.font.lang;
  const dx = l.x - r.x0;
  const dy = l.baseline - r.y0;
  const key = `${font}|${l.dir}|${lang}|${w}x${h}|${dx},${dy}|${l.text}`;
  const hit = inkCache.get(key);
  if (hit) {
    inkCache.delete(key); // most recently used last
    inkCache.set(key, hit);
    return hit;
  }
  // Canvases in steps of 64 × 32 dots, so a handful of sizes serve every line.
  const ctx = canvasOf(Math.ceil(w / 64) * 64, Math.ceil(h / 32) * 32);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  if (ctx.font !== font) ctx.font = font;
  ctx.direction = l.dir;
  ctx.lang = lang;
  ctx.fillText(l.text, dx, dy);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const ink = new Uint8Array(w * h);
  for (let i = 0, p = 0; i < ink.length; i++, p += 4) if (rgba[p]! < 128) ink[i] = 1;
  if (inkCache.size >= INK_CACHE_LINES) inkCache.delete(inkCache.keys().next().value!);
  inkCache.set(key, ink);
  return ink;
}

/** About 60 lines of 576 × 135 dots at most: a few MB, a badge template's fixed lines many times over. */
const INK_CACHE_LINES = 64;
const inkCache = new Map<string, Uint8Array>();

/** Struck out across its cell, thick enough to read at two metres. */
function strike(bmp: Bitmap, l: LaidLine): void {
  const box = l.cell ?? { x: l.x, width: l.width };
  const t = Math.max(3, Math.round(l.font.size * 0.14));
  fillRect(bmp, box.x, Math.round(l.baseline - l.font.size * 0.36 - t / 2), box.width, t);
}

/** Copies src into dst at (x, y), white dots included (the QR's quiet zone stays white whatever is under it). */
function put(dst: Bitmap, src: Bitmap, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    const x0 = Math.max(0, x);
    const x1 = Math.min(dst.width, x + src.width);
    if (x1 <= x0) continue;
    dst.data.set(src.data.subarray(sy * src.width + (x0 - x), sy * src.width + (x1 - x)), dy * dst.width + x0);
  }
}

/** Lines of text in the badge fonts, centred, `size` dots high (the test page's font check). */
export function drawSample(width: number, lines: readonly string[], size: number, fonts: BadgeFonts): Bitmap {
  const w = Math.ceil(width / 8) * 8;
  const lh = Math.round(size * 1.3);
  const ctx = canvasOf(w, lh * lines.length);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, lh * lines.length);
  ctx.fillStyle = '#000';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  lines.forEach((text, i) => {
    ctx.font = fonts.css({ size, bold: true, lang: 'und' });
    ctx.direction = 'ltr';
    ctx.fillText(text, w / 2, i * lh + Math.round(size * 1.05));
  });
  const bmp = createBitmap(w, lh * lines.length);
  const rgba = ctx.getImageData(0, 0, w, bmp.height).data;
  for (let i = 0; i < bmp.data.length; i++) bmp.data[i] = rgba[i * 4]! < 128 ? 1 : 0;
  return bmp;
}

/** One line of a receipt or slip: text at the left (and optionally an amount at the right), or centred. */
export interface SlipLine {
  text: string;
  right?: string;
  /** Dots high. */
  size: number;
  bold?: boolean;
  center?: boolean;
}

/**
 * Lines of text in the badge fonts into one raster `width` dots wide (receipts, batch divider slips): drawn once,
 * and the same raster is the PNG staff see and what the printer gets. A line too long for the paper is cut at the
 * margin rather than wrapped by the printer.
 */
export function drawLines(width: number, lines: readonly SlipLine[], fonts: BadgeFonts, margin = 16): Bitmap {
  const w = Math.ceil(width / 8) * 8;
  const heights = lines.map((l) => Math.round(l.size * 1.35));
  const height = Math.max(8, heights.reduce((a, b) => a + b, 0) + margin);
  const ctx = canvasOf(w, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, height);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'alphabetic';
  ctx.direction = 'ltr';
  let y = margin / 2;
  lines.forEach((l, i) => {
    ctx.font = fonts.css({ size: l.size, bold: l.bold ?? false, lang: 'und' });
    const base = y + Math.round(l.size * 1.05);
    if (l.center) {
      ctx.textAlign = 'center';
      ctx.fillText(l.text, w / 2, base, w - 2 * margin);
    } else {
      const rightWidth = l.right ? ctx.measureText(l.right).width + margin : 0;
      ctx.textAlign = 'left';
      ctx.fillText(l.text, margin, base, w - 2 * margin - rightWidth);
      if (l.right) {
        ctx.textAlign = 'right';
        ctx.fillText(l.right, w - margin, base);
      }
    }
    y += heights[i]!;
  });
  const bmp = createBitmap(w, height);
  const rgba = ctx.getImageData(0, 0, w, height).data;
  for (let i = 0; i < bmp.data.length; i++) bmp.data[i] = rgba[i * 4]! < 128 ? 1 : 0;
  return bmp;
}
