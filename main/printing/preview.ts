/**
 * The screen preview: the same layout drawn into a 1-bit image with the built-in bitmap font (core/badge/bitmap-font),
 * QR modules and logos exact, text approximate in shape but exact in position and wrapping.
 */
import { createBitmap, CELL_H, CELL_W, blit, drawText, fillRect, type Bitmap } from '../../core/badge/bitmap-font';
import { type BadgeLayout, layoutText, lineX, textWidthDots } from '../../core/badge/layout';
import { bitmapToPng } from './bitmap-png';
import { qrBitmap } from './qr';

export interface Preview {
  png: Buffer;
  width: number;
  height: number;
  lines: string[];
  warnings: string[];
}

export function drawLayout(layout: BadgeLayout, logo?: (asset: string) => Bitmap | null, margin = 8): Bitmap {
  const m = layout.media;
  const height = Math.max(m.heightDots ?? 0, layout.height) + 2 * margin;
  const bmp = createBitmap(m.widthDots + 2 * margin, height);
  for (const b of layout.blocks) {
    const y = b.y + margin;
    switch (b.kind) {
      case 'text': {
        const sx = Math.max(1, Math.floor((m.cellWidth * b.scale) / CELL_W));
        const sy = Math.max(1, Math.floor((m.cellHeight * b.scale) / CELL_H));
        b.lines.forEach((line, i) => {
          const ly = y + i * b.lineHeight;
          const w = textWidthDots(m, line, b.scale);
          const x = margin + lineX(m, b.align, w / (m.cellWidth * b.scale), b.scale);
          if (b.invert) fillRect(bmp, x, ly, w, b.lineHeight);
          // Each character is centred in its printer cell, so positions match the printed badge.
          const pad = Math.floor((m.cellWidth * b.scale - CELL_W * sx) / 2);
          Array.from(line).forEach((ch, k) => drawText(bmp, x + k * m.cellWidth * b.scale + pad, ly, ch, sx, sy, b.bold, b.invert ? 0 : 1));
        });
        break;
      }
      case 'qr': {
        const q = qrBitmap(b.data, b.ecLevel, b.moduleDots, b.quietModules);
        blit(bmp, q, margin + (b.align === 'center' ? Math.floor((m.widthDots - q.width) / 2) : 0), y);
        break;
      }
      case 'logo': {
        const l = logo?.(b.asset);
        if (l) blit(bmp, l, margin + (b.align === 'center' ? Math.floor((m.widthDots - l.width) / 2) : 0), y);
        break;
      }
      case 'rule':
        fillRect(bmp, margin, y + Math.floor((b.height - b.thickness) / 2), m.widthDots, b.thickness);
        break;
      case 'space':
        break;
    }
  }
  return bmp;
}

export function renderPreview(layout: BadgeLayout, logo?: (asset: string) => Bitmap | null): Preview {
  const bmp = drawLayout(layout, logo);
  return { png: bitmapToPng(bmp), width: bmp.width, height: bmp.height, lines: layoutText(layout), warnings: layout.warnings };
}
