/** 1-bit images: what a thermal head prints, dot for dot. */

/** A 1-bit image: 1 = ink. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(Math.max(0, width * height)) };
}

export function fillRect(bmp: Bitmap, x: number, y: number, w: number, h: number, ink = 1): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(bmp.width, Math.floor(x + w));
  const y1 = Math.min(bmp.height, Math.floor(y + h));
  for (let yy = y0; yy < y1; yy++) bmp.data.fill(ink, yy * bmp.width + x0, yy * bmp.width + Math.max(x0, x1));
}

/** Copies `src` into `dst` at (x, y); ink only (white pixels of src leave dst alone). */
export function blit(dst: Bitmap, src: Bitmap, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const dx = x + sx;
      if (dx < 0 || dx >= dst.width || src.data[sy * src.width + sx] === 0) continue;
      dst.data[dy * dst.width + dx] = 1;
    }
  }
}
