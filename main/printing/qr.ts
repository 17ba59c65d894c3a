/** QR symbols as 1-bit bitmaps (npm qrcode builds the matrix; Lanyard draws the modules). */
import QRCode from 'qrcode';
import { createBitmap, fillRect, type Bitmap } from '../../core/badge/bitmap';

export type EcLevel = 'L' | 'M' | 'Q' | 'H';

const cache = new Map<string, { size: number; data: Uint8Array }>();

function matrix(data: string, ec: EcLevel): { size: number; data: Uint8Array } {
  const key = `${ec}\u0000${data}`;
  let m = cache.get(key);
  if (!m) {
    const qr = QRCode.create(data, { errorCorrectionLevel: ec });
    m = { size: qr.modules.size, data: Uint8Array.from(qr.modules.data as ArrayLike<number>) };
    if (cache.size > 256) cache.clear();
    cache.set(key, m);
  }
  return m;
}

export const qrModules = (data: string, ec: EcLevel): number => matrix(data, ec).size;

/** The symbol with a quiet zone, each module `moduleDots` square; width padded to `padTo` (8 for ESC/POS raster). */
export function qrBitmap(data: string, ec: EcLevel, moduleDots: number, quietModules = 4, padTo = 1): Bitmap {
  const m = matrix(data, ec);
  const side = (m.size + 2 * quietModules) * moduleDots;
  const bmp = createBitmap(Math.ceil(side / padTo) * padTo, side);
  for (let y = 0; y < m.size; y++)
    for (let x = 0; x < m.size; x++)
      if (m.data[y * m.size + x])
        fillRect(bmp, (x + quietModules) * moduleDots, (y + quietModules) * moduleDots, moduleDots, moduleDots);
  return bmp;
}
