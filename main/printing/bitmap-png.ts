/** 1-bit bitmaps to PNG (pngjs), and to RGBA for QR decoders. */
import { PNG } from 'pngjs';
import type { Bitmap } from '../../core/badge/bitmap';

/**
 * Black ink on white, 8-bit grayscale PNG, no filter search (pngjs's costs several ms a badge). `deflateLevel` 6 for
 * pictures that travel (a badge preview is ~15 kB instead of ~550 kB), 0 where speed is all that counts.
 */
export function bitmapToPng(bmp: Bitmap, y0 = 0, rows = bmp.height, deflateLevel = 6): Buffer {
  const h = Math.max(1, Math.min(rows, bmp.height - y0));
  const w = Math.max(1, bmp.width);
  const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const gray = Buffer.alloc(w * h, 255);
  const src = bmp.data.subarray(y0 * bmp.width, (y0 + h) * bmp.width);
  for (let i = 0; i < src.length; i++) if (src[i]) gray[i] = 0;
  png.data = gray;
  return PNG.sync.write(png, {
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth: 8,
    filterType: 0,
    deflateLevel,
  });
}

/** RGBA pixels of a bitmap (for jsqr and friends). */
export function bitmapToRgba(bmp: Bitmap): Uint8ClampedArray {
  const out = new Uint8ClampedArray(bmp.width * bmp.height * 4);
  for (let i = 0; i < bmp.width * bmp.height; i++) {
    const v = bmp.data[i] ? 0 : 255;
    out[i * 4] = v;
    out[i * 4 + 1] = v;
    out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}
