/**
 * ZPL for Zebra badge printers. A badge goes out as one ^GF graphic field (the default: the same raster as the
 * preview and the ESC/POS job), or in the printer's own font (text mode, text-mode.ts). Graphic fields are
 * compressed as Z64 (zlib, base64, CRC-16): a 4 × 6 in badge is ~120 kB as plain hex and a few kB this way.
 */
import { deflateSync } from 'node:zlib';
import type { Bitmap } from '../../core/badge/bitmap';
import type { Media } from '../../core/badge/printer';

/** ^FH_ escapes: the three characters ZPL would read as commands or escapes. */
export function zplField(text: string): string {
  return text.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** One bit per dot, rows padded to whole bytes, 1 = black. */
function packRows(bmp: Bitmap): { rowBytes: number; bytes: Buffer } {
  const rowBytes = Math.ceil(bmp.width / 8);
  const bytes = Buffer.alloc(rowBytes * bmp.height);
  for (let y = 0; y < bmp.height; y++) {
    const row = y * bmp.width;
    for (let x = 0; x < bmp.width; x++) if (bmp.data[row + x]) bytes[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return { rowBytes, bytes };
}

/** CRC-16/XMODEM (CCITT polynomial 0x1021, initial 0) of the base64 text, as ZPL's Z64 trailer wants it. */
export function crc16(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** ^GFA with Z64 data. */
export function graphicField(bmp: Bitmap): string {
  const { rowBytes, bytes } = packRows(bmp);
  const b64 = deflateSync(bytes, { level: 6 }).toString('base64');
  return `^GFA,${bytes.length},${bytes.length},${rowBytes},:Z64:${b64}:${crc16(b64).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A badge as one label: the raster at 0,0. */
export function zplRaster(bmp: Bitmap, media: Media): string {
  const out = [
    '^XA',
    `^PW${media.widthDots}`,
    `^LL${media.heightDots ?? bmp.height}`,
    '^LH0,0',
    `^FO0,0${graphicField(bmp)}^FS`,
    '^PQ1',
    '^XZ',
  ];
  return out.join('\n') + '\n';
}
