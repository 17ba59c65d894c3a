/** 1-bit bitmaps to and from PNG (pngjs). */
import { PNG } from 'pngjs';
import { createBitmap, type Bitmap } from '../../core/badge/bitmap';

/**
 * Black ink on white, 8-bit grayscale PNG. No filter search and the fastest deflate: these images are small and
 * rendered on the badge's critical path (pngjs's default filter search alone costs several ms per QR).
 */
export function bitmapToPng(bmp: Bitmap, y0 = 0, rows = bmp.height): Buffer {
  const h = Math.max(1, Math.min(rows, bmp.height - y0));
  const w = Math.max(1, bmp.width);
  const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const gray = Buffer.alloc(w * h, 255);
  const src = bmp.data.subarray(y0 * bmp.width, (y0 + h) * bmp.width);
  for (let i = 0; i < src.length; i++) if (src[i]) gray[i] = 0;
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8, filterType: 0, deflateLevel: 0 });
}

/** Dark, opaque pixels become ink (the same threshold node-thermal-printer uses). */
export function pngToBitmap(buf: Buffer): Bitmap {
  const png = PNG.sync.read(buf);
  const bmp = createBitmap(png.width, png.height);
  for (let i = 0; i < png.width * png.height; i++) {
    const r = png.data[i * 4]!, g = png.data[i * 4 + 1]!, b = png.data[i * 4 + 2]!, a = png.data[i * 4 + 3]!;
    bmp.data[i] = a > 126 && 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 1 : 0;
  }
  return bmp;
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
