/**
 * The one renderer: a badge layout drawn into one 1-bit raster at the printer's dots. That raster is the PNG preview
 * on screen, the ESC/POS job (GS v 0) and the ZPL job (^GF), so what staff see is what prints.
 *
 * Text, bands and rules are drawn by Skia (@napi-rs/canvas: HarfBuzz shaping, right-to-left, every script the
 * fonts have) and thresholded at 50% for a thermal head; the QR code's modules and the logos (dithered once, see
 * images.ts) are put into the raster dot for dot, so the code stays exact.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
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
    if (canvases.size > 8) canvases.clear();
    const canvas = createCanvas(width, height);
    c = { canvas, ctx: canvas.getContext('2d') };
    canvases.set(key, c);
  }
  return c.ctx;
}

export function drawBadge(layout: BadgeLayout, fonts: BadgeFonts, images: BadgeImages): Bitmap {
  // Width in whole bytes: ESC/POS and ZPL rasters are sent 8 dots to a byte.
  const width = Math.ceil(layout.width / 8) * 8;
  const out = createBitmap(width, layout.height);
  for (const panel of layout.panels) {
    const bmp = drawPanel(panel, width, fonts, images);
    const at = panel.y * width;
    if (panel.rotated) {
      // Turned 180°: the last dot of the panel becomes its first.
      const n = bmp.data.length;
      for (let i = 0; i < n; i++) out.data[at + i] = bmp.data[n - 1 - i]!;
    } else out.data.set(bmp.data, at);
  }
  // Fold marks: short ticks at both edges where a fold-over badge folds.
  const tick = Math.round(layout.media.dpi / 8);
  for (const p of layout.panels.slice(1)) {
    fillRect(out, 0, p.y - 1, tick, 2);
    fillRect(out, width - tick, p.y - 1, tick, 2);
  }
  return out;
}

function drawPanel(panel: Panel, width: number, fonts: BadgeFonts, images: BadgeImages): Bitmap {
  const ctx = canvasOf(width, panel.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, panel.height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  for (const b of panel.blocks) {
    if (b.kind === 'text') drawText(ctx, b, width, fonts);
    else if (b.kind === 'rule') {
      ctx.fillStyle = '#000';
      ctx.fillRect(0, b.y, width, b.thickness);
    }
  }
  const bmp = threshold(ctx, width, panel.height);
  for (const b of panel.blocks) {
    if (b.kind === 'qr') {
      const q = qrBitmap(b.data, b.ecLevel, b.moduleDots, b.quietModules);
      put(bmp, q, b.x, b.y);
    } else if (b.kind === 'image') {
      const img = images.bitmap(b.ref, b.width, b.height);
      if (img) put(bmp, img, b.x, b.y);
    }
  }
  return bmp;
}

function drawText(ctx: SKRSContext2D, b: Extract<LaidBlock, { kind: 'text' }>, width: number, fonts: BadgeFonts): void {
  if (b.band) {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, b.y, width, b.height);
  }
  for (const l of b.lines) drawLine(ctx, l, fonts);
}

function drawLine(ctx: SKRSContext2D, l: LaidLine, fonts: BadgeFonts): void {
  const box = l.cell ?? { x: l.x - Math.round(l.font.size * 0.15), width: l.width + Math.round(l.font.size * 0.3) };
  if (l.invert && l.cell) {
    ctx.fillStyle = '#000';
    ctx.fillRect(box.x, l.y, box.width, l.height);
  }
  ctx.font = fonts.css(l.font);
  ctx.direction = l.dir;
  ctx.lang = l.font.lang === 'und' ? 'en' : l.font.lang;
  ctx.fillStyle = l.invert ? '#fff' : '#000';
  ctx.fillText(l.text, l.x, l.baseline);
  if (l.strike) {
    // Struck out across its cell, thick enough to read at two metres.
    const t = Math.max(3, Math.round(l.font.size * 0.14));
    ctx.fillStyle = '#000';
    ctx.fillRect(box.x, Math.round(l.baseline - l.font.size * 0.36 - t / 2), box.width, t);
  }
}

/** Dark pixels become ink (text is antialiased by Skia; 50% keeps strokes their drawn weight). */
function threshold(ctx: SKRSContext2D, width: number, height: number): Bitmap {
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const bmp = createBitmap(width, height);
  const d = bmp.data;
  for (let i = 0, p = 0; i < d.length; i++, p += 4) d[i] = rgba[p]! < 128 ? 1 : 0;
  return bmp;
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
  return threshold(ctx, w, lh * lines.length);
}
